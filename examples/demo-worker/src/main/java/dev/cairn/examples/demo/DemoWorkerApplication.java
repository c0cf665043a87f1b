package dev.cairn.examples.demo;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * A worker app: every {@code @DurableWorkflow} in this package registers with the orchestrator at start.
 *
 * <p>The defaults below are default properties (the lowest precedence), so {@code --server.port=…},
 * environment variables such as {@code CAIRN_WORKER_ORCHESTRATOR_URL} or an {@code application.yml} of your own
 * override them. They are not in an {@code application.yml} here so that this jar can sit on a test classpath
 * beside the orchestrator without shadowing its configuration.
 */
@SpringBootApplication
public class DemoWorkerApplication {

    public static void main(String[] args) {
        new SpringApplicationBuilder(DemoWorkerApplication.class)
                .properties(
                        "spring.application.name=cairn-demo-worker",
                        "server.port=8081",
                        "management.server.port=9091",
                        "management.endpoints.web.exposure.include=health,prometheus")
                .run(args);
    }
}
