package dev.cairn.bench.worker;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The bench worker app: the worker-starter registers the {@code @DurableWorkflow} classes of this package. Started
 * by {@code Bench --role=worker} in its own JVM.
 */
@SpringBootApplication
public class BenchWorkerApp {
}
