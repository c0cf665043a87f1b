package dev.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Runs every scenario of the harness with tiny counts ({@code smoke}) against real child JVMs and asserts that it
 * produced a well-formed summary line and JSON file per scenario, and that the retention sweep left no expired
 * execution (nor its operations and history) behind. It asserts nothing about speed.
 *
 * <p>PostgreSQL: {@code CAIRN_TEST_JDBC_URL} when set (as in {@code .ci/run}), else 127.0.0.1:5432/test when it
 * answers, else an embedded PostgreSQL (which cannot run as root).
 */
class BenchSmokeIT {

    private static EmbeddedPostgres embedded;

    /** The figures each scenario's summary line must carry. */
    private static final Map<String, List<String>> EXPECTED = Map.ofEntries(
            Map.entry("limit", List.of("tps_1", "tps_8", "tps_32")),
            Map.entry("throughput", List.of("executions_per_s", "steps_per_s", "limit_tps", "fraction_of_limit",
                    "latency_ms_p50", "latency_ms_p99")),
            Map.entry("memory", List.of("orchestrator_heap_max_mb", "orchestrator_rss_mb", "worker_heap_max_mb",
                    "worker_rss_mb", "dbos_rss_mb")),
            Map.entry("sequential", List.of("step_ms_p50", "step_ms_p99")),
            Map.entry("client", List.of("steps_per_s_4", "dbos_steps_per_s_4", "steps_per_s_1",
                    "dbos_steps_per_s_1")),
            Map.entry("first-step", List.of("first_step_ms_p50", "dbos_first_step_ms_p50")),
            Map.entry("fanout", List.of("wall_ms")),
            Map.entry("replay", List.of("resume_ms", "replay_ms")),
            Map.entry("timers", List.of("lag_ms_p50", "lag_ms_p99", "lag_ms_max", "orchestrator_cpu_pct_waiting")),
            Map.entry("scale", List.of("start_ms_p99", "get_ms_p99", "list_ms_p99")),
            Map.entry("retention", List.of("deleted", "sweep_s", "deleted_per_s", "orchestrator_cpu_pct", "get_ms_p99",
                    "list_ms_p99", "remaining_expired")));

    @Test
    void everyScenarioWritesASummaryLineAndAJsonFile() throws Exception {
        Path results = Path.of("target", "smoke-results");
        List<String> lines = Bench.run(new String[] {"smoke", "--jdbc-url", jdbcUrl(), "--results-dir",
                results.toString()});

        assertThat(lines).hasSize(EXPECTED.size());
        for (Map.Entry<String, List<String>> e : EXPECTED.entrySet()) {
            String scenario = e.getKey();
            String line = lines.stream().filter(l -> l.startsWith("BENCH " + scenario + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no summary line for " + scenario + " in " + lines));
            Path file = results.resolve(scenario + ".json");
            assertThat(file).exists();
            JsonNode json = Api.JSON.readTree(Files.readString(file));
            assertThat(json.get("scenario").asString()).isEqualTo(scenario);
            assertThat(json.get("summary").asString()).isEqualTo(line);
            assertThat(json.get("runs").isArray()).isTrue();
            assertThat(json.get("runs").size()).isPositive();
            assertThat(json.get("environment").get("nproc").asInt()).isPositive();
            assertThat(json.get("rerun").asString()).startsWith("java -jar ");
            for (String key : e.getValue()) {
                assertThat(line).as(scenario + " summary").containsPattern(" " + key + "=-?[0-9.]+( |$)");
                assertThat(json.get("median").get(key).isNumber()).as(scenario + " median " + key).isTrue();
            }
        }
        // the retention sweeper deleted every expired execution with its operations and history, and nothing else
        for (JsonNode run : Api.JSON.readTree(Files.readString(results.resolve("retention.json"))).get("runs")) {
            assertThat(run.get("completed").asBoolean()).as("retention sweep completed: " + run).isTrue();
            assertThat(run.get("deleted").asLong()).as("retention deleted").isPositive();
            for (String gone : List.of("remaining_expired", "remaining_operations", "remaining_events",
                    "remaining_expired_any", "kept_deleted")) {
                assertThat(run.get(gone).asLong()).as("retention " + gone).isZero();
            }
        }
    }

    private static String jdbcUrl() throws Exception {
        String url = System.getenv("CAIRN_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            return url;
        }
        String local = "jdbc:postgresql://127.0.0.1:5432/test";
        try (Connection c = DriverManager.getConnection(local, "postgres", "")) {
            return local;
        } catch (Exception notThere) {
            embedded = EmbeddedPostgres.builder().start();
            return embedded.getJdbcUrl("postgres", "postgres");
        }
    }

    @AfterAll
    static void stopEmbedded() throws Exception {
        if (embedded != null) {
            embedded.close();
        }
    }
}
