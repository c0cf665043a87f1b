package dev.cairn.orchestrator.metrics;

import static dev.cairn.orchestrator.support.Updates.stepStart;
import static dev.cairn.orchestrator.support.Updates.stepSucceed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.orchestrator.support.Api;
import dev.cairn.orchestrator.support.FakeWorker;
import dev.cairn.orchestrator.support.Http;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Some activity, then a scrape of {@code /actuator/prometheus} on the management port finds every Cairn metric. */
class MetricsIT {

    private static final MutableClock clock = new MutableClock();
    private static final Http http = new Http();
    private static TestDatabase db;
    private static RunningOrchestrator orchestrator;
    private static FakeWorker worker;
    private static Api api;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(MetricsIT.class);
        orchestrator = RunningOrchestrator.start(db, clock, "cairn.orchestrator.metrics-refresh-interval=200ms");
        api = new Api(orchestrator, JdbcClient.create(db.dataSource()));
        worker = FakeWorker.start("metered-worker", orchestrator.baseUrl(), clock, 4,
                new WorkflowRef("metered", "1"), new WorkflowRef("slow", "1"));
        worker.script("metered", calls -> {
            calls.checkpoint(stepStart("1", "charge", 1), stepSucceed("1", "charge", 1, "\"ok\""));
            calls.complete(InvocationOutcome.SUCCEEDED, "\"done\"", null);
        });
        worker.script("slow", calls -> calls.complete(InvocationOutcome.PENDING, null, null));
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void exposesEveryCairnMetricInPrometheusForm() {
        String done = api.start("metered", "{\"input\":1}");
        api.awaitStatus(done, "SUCCEEDED");
        String slow = api.start("slow", "{\"input\":1,\"timeoutSeconds\":5}");
        await().atMost(Api.PATIENCE).until(() -> !worker.received(slow).isEmpty() && api.idle(slow));
        clock.advance(Duration.ofSeconds(6));
        api.awaitStatus(slow, "TIMED_OUT");
        assertThat(api.post("/v1/callbacks/no-such-callback/succeed", "{}").status()).isEqualTo(404);

        await().atMost(Api.PATIENCE).untilAsserted(() -> {
            String scrape = scrape();
            assertThat(scrape)
                    .contains("cairn_executions_started_total{workflow=\"metered\"} 1")
                    .contains("cairn_executions_completed_total{status=\"SUCCEEDED\",workflow=\"metered\"} 1")
                    .contains("cairn_executions_completed_total{status=\"TIMED_OUT\",workflow=\"slow\"} 1")
                    .contains("cairn_executions_running{workflow=\"metered\"} 0")
                    .contains("cairn_operations_total{status=\"SUCCEEDED\",type=\"STEP\"} 1")
                    .contains("cairn_checkpoint_latency_seconds_bucket{")
                    .contains("cairn_checkpoint_latency_seconds_count{request=\"checkpoint\"}")
                    .contains("cairn_checkpoint_latency_seconds_count{request=\"complete\"}")
                    .contains("cairn_dispatch_latency_seconds_count ")
                    .contains("cairn_timer_lag_seconds_count 1")
                    .contains("cairn_ready_backlog 0")
                    .contains("cairn_workers_live 1")
                    .contains("cairn_invocations_total{outcome=\"SUCCEEDED\",workflow=\"metered\"} 1")
                    .contains("cairn_invocations_total{outcome=\"PENDING\",workflow=\"slow\"}")
                    .contains("cairn_callbacks_total{outcome=\"NOT_FOUND\"} 1")
                    .contains("cairn_retention_deleted_total 0")
                    // checkpoints and completions have their own timer, not http_server_requests
                    .contains("uri=\"/v1/workflows/{workflow}/executions\"")
                    .doesNotContain("uri=\"/v1/invocations/");
        });
    }

    @Test
    void readinessChecksTheDatabaseAndTheDispatcherAndLivenessNeither() {
        JsonNode readiness = management("/actuator/health/readiness");
        JsonNode liveness = management("/actuator/health/liveness");

        assertThat(readiness.get("status").asString()).isEqualTo("UP");
        assertThat(readiness.get("components").propertyNames()).contains("db", "dispatcher", "readinessState");
        assertThat(liveness.get("status").asString()).isEqualTo("UP");
        assertThat(liveness.get("components").propertyNames()).containsExactly("livenessState");
    }

    @Test
    void reportsTheDispatcherDownWhenItStopped() {
        var dispatcher = orchestrator.context().getBean(dev.cairn.orchestrator.dispatch.InvocationDispatcher.class);
        var health = orchestrator.context().getBean(dev.cairn.orchestrator.dispatch.DispatcherHealthIndicator.class);
        assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
        dispatcher.stop();
        try {
            assertThat(health.health().getStatus().getCode()).isEqualTo("DOWN");
        } finally {
            dispatcher.start();
        }
    }

    private static String scrape() {
        Http.Response r = http.get(managementUrl("/actuator/prometheus"));
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    private static JsonNode management(String path) {
        return http.get(managementUrl(path)).json();
    }

    private static String managementUrl(String path) {
        return "http://127.0.0.1:" + orchestrator.context().getEnvironment().getProperty("local.management.port")
                + path;
    }
}
