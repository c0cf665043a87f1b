package dev.cairn.orchestrator.support;

import dev.cairn.orchestrator.CairnOrchestratorApplication;
import dev.cairn.testing.TestDatabase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/** An orchestrator application context on a test database, on random ports, with a movable clock. */
public final class RunningOrchestrator implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final String baseUrl;

    private RunningOrchestrator(ConfigurableApplicationContext context) {
        this.context = context;
        this.baseUrl = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    public static RunningOrchestrator start(TestDatabase db, Clock clock, String... properties) {
        List<String> props = new ArrayList<>(List.of(db.springProperties()));
        props.add("server.port=0");
        props.add("management.server.port=0");
        props.add("cairn.orchestrator.timer-poll-interval=200ms");
        props.add("cairn.orchestrator.dispatch-poll-interval=200ms");
        props.add("spring.main.banner-mode=off");
        props.add("cairn.security.open=true");
        props.addAll(List.of(properties));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CairnOrchestratorApplication.class)
                .properties(props.toArray(String[]::new))
                .initializers(ctx -> ((GenericApplicationContext) ctx).registerBean("testClock", Clock.class,
                        () -> clock))
                .run();
        return new RunningOrchestrator(context);
    }

    public String url(String path) {
        return baseUrl + path;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }
}
