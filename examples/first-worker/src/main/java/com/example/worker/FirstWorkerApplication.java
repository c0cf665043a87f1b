package com.example.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A worker app: every {@code @DurableWorkflow} in this package registers with the orchestrator at start. */
@SpringBootApplication
public class FirstWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(FirstWorkerApplication.class, args);
    }
}
