package dev.cairn.helm;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DashboardTest {

    /** The metrics the orchestrator and the worker starter publish (issue 4), as Prometheus names them. */
    static final List<String> CAIRN_METRICS = List.of(
            "cairn_executions_started_total",
            "cairn_executions_completed_total",
            "cairn_executions_running",
            "cairn_operations_total",
            "cairn_step_duration_seconds",
            "cairn_checkpoint_latency_seconds",
            "cairn_dispatch_latency_seconds",
            "cairn_timer_lag_seconds",
            "cairn_ready_backlog",
            "cairn_workers_live",
            "cairn_invocations_total",
            "cairn_callbacks_total",
            "cairn_retention_deleted_total");

    private final Dashboard dashboard = Dashboard.load();

    @Test
    void isAnImportableDashboardWithAStableUid() {
        assertThat(dashboard.uid()).isEqualTo("cairn-overview");
        assertThat(dashboard.title()).isEqualTo("Cairn");
        assertThat(dashboard.root().path("schemaVersion").asInt()).isPositive();
        assertThat(dashboard.root().has("id")).as("an id would clash on import").isFalse();
        assertThat(dashboard.panels()).extracting(p -> p.path("id").asInt()).doesNotHaveDuplicates();
        assertThat(dashboard.panels()).allSatisfy(panel -> assertThat(panel.has("gridPos")).isTrue());
    }

    @Test
    void queriesThroughAPrometheusDatasourceVariable() {
        JsonNode datasource = dashboard.variables().stream()
                .filter(v -> v.path("name").asString().equals("datasource")).findFirst().orElseThrow();
        assertThat(datasource.path("type").asString()).isEqualTo("datasource");
        assertThat(datasource.path("query").asString()).isEqualTo("prometheus");

        assertThat(dashboard.panels()).filteredOn(p -> !p.path("type").asString().equals("row"))
                .allSatisfy(panel -> {
                    assertThat(panel.path("datasource").path("uid").asString()).isEqualTo("${datasource}");
                    assertThat(panel.path("targets")).isNotEmpty();
                });
    }

    @Test
    void chartsEveryCairnMetricAndNoOther() {
        assertThat(dashboard.cairnMetrics()).containsExactlyInAnyOrderElementsOf(CAIRN_METRICS);
    }

    @Test
    void chartsJvmAndHttpMetricsOfMicrometer() {
        assertThat(String.join("\n", dashboard.expressions()))
                .contains("http_server_requests_seconds_count", "jvm_memory_used_bytes", "jvm_gc_pause_seconds_sum",
                        "process_cpu_usage", "hikaricp_connections_active");
    }

    @Test
    void histogramsAreQueriedThroughTheirBuckets() {
        for (String histogram : List.of("cairn_step_duration_seconds", "cairn_checkpoint_latency_seconds",
                "cairn_dispatch_latency_seconds", "cairn_timer_lag_seconds")) {
            assertThat(dashboard.expressions()).as(histogram)
                    .anySatisfy(e -> assertThat(e).contains("histogram_quantile(").contains(histogram + "_bucket"));
        }
    }

    @Test
    void theChartReadmeListsEveryMetric() throws IOException {
        String readme = Files.readString(HelmChart.ORCHESTRATOR.directory().resolve("README.md"));

        assertThat(readme).contains(CAIRN_METRICS);
    }
}
