package dev.cairn.worker.sample;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** A worker application with two workflows, as a user would write it (without component scanning). */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(SampleBeans.class)
public class SampleWorkerApplication {
}
