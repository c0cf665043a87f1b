package dev.cairn.it.support;

import dev.cairn.it.apps.SideEffects;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts real worker application contexts that register with an orchestrator over HTTP. */
public final class Workers {

    private Workers() {
    }

    /**
     * Starts the worker app {@code app} (a {@code @SpringBootApplication} whose package holds its workflows)
     * against the orchestrator at {@code orchestratorUrl}.
     */
    public static ConfigurableApplicationContext start(Class<?> app, String orchestratorUrl, String... extra) {
        return start(app, orchestratorUrl, null, extra);
    }

    /** As {@link #start(Class, String, String...)}, with {@code effects} as a bean the workflows can inject. */
    public static ConfigurableApplicationContext start(Class<?> app, String orchestratorUrl, SideEffects effects,
            String... extra) {
        List<String> props = new ArrayList<>(List.of(
                "server.port=0",
                "management.server.port=0",
                "spring.application.name=cairn-worker-it",
                "cairn.worker.orchestrator-url=" + orchestratorUrl,
                "cairn.worker.heartbeat-interval=500ms",
                // the test classpath carries the orchestrator's JDBC stack; a worker has no database
                "spring.autoconfigure.exclude="
                        + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                        + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
                "cairn.embedded-postgres.enabled=false"));
        props.addAll(List.of(extra));
        SpringApplicationBuilder builder = new SpringApplicationBuilder(app).properties(props.toArray(String[]::new));
        if (effects != null) {
            builder.initializers(ctx -> ctx.getBeanFactory().registerSingleton("sideEffects", effects));
        }
        return builder.run();
    }
}
