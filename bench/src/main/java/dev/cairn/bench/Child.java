package dev.cairn.bench;

import dev.cairn.bench.worker.BenchWorkerApp;
import dev.cairn.orchestrator.CairnOrchestratorApplication;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The child side of the harness: {@code Bench --role=orchestrator|worker --bench.probe-port=N --spring.prop=…}
 * starts the Cairn orchestrator (its real main class) or the bench worker app, plus the {@link Probe}. Every other
 * argument is a Spring property, as for any Spring Boot application.
 */
final class Child {

    private Child() {
    }

    static void run(String role, String[] args) throws Exception {
        List<String> springArgs = new ArrayList<>();
        int probePort = -1;
        for (String a : args) {
            if (a.startsWith("--role=")) {
                continue;
            }
            if (a.startsWith("--bench.probe-port=")) {
                probePort = Integer.parseInt(a.substring("--bench.probe-port=".length()));
                continue;
            }
            springArgs.add(a);
        }
        if (probePort > 0) {
            Probe.start(probePort);
        }
        Class<?> app = switch (role) {
            case "orchestrator" -> CairnOrchestratorApplication.class;
            case "worker" -> BenchWorkerApp.class;
            default -> throw new IllegalArgumentException("unknown role " + role);
        };
        try {
            new SpringApplicationBuilder(app).run(springArgs.toArray(String[]::new));
        } catch (Throwable e) {
            // the probe's HTTP server thread would keep a JVM whose application failed to start alive
            e.printStackTrace();
            System.exit(1);
        }
    }
}
