package dev.cairn.it.support;

import dev.cairn.orchestrator.CairnOrchestratorApplication;
import dev.cairn.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts real orchestrator application contexts (real HTTP, real PostgreSQL) for end-to-end tests. */
public final class Orchestrators {

    private Orchestrators() {
    }

    /** Starts an orchestrator on {@code port} (0 for any) against {@code db}. */
    public static ConfigurableApplicationContext start(TestDatabase db, int port, String... extra) {
        List<String> props = new ArrayList<>(List.of(db.springProperties()));
        props.addAll(List.of(
                "server.port=" + port,
                "management.server.port=0",
                "spring.application.name=cairn-orchestrator-it",
                "cairn.worker.enabled=false",
                "cairn.security.open=true",
                "cairn.orchestrator.lease-duration=4s",
                "cairn.orchestrator.worker-timeout=3s",
                "cairn.orchestrator.heartbeat-interval=500ms",
                "cairn.orchestrator.dispatch-poll-interval=250ms",
                "logging.level.dev.cairn=INFO"));
        props.addAll(List.of(extra));
        return new SpringApplicationBuilder(CairnOrchestratorApplication.class)
                .properties(props.toArray(String[]::new))
                .run();
    }

    /** The base URL of a started orchestrator. */
    public static String url(ConfigurableApplicationContext ctx) {
        return "http://localhost:" + ctx.getEnvironment().getProperty("local.server.port");
    }

    /** A port that is free now, for an orchestrator that must come back on the same address after a restart. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
