package dev.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Runs the scenarios that have DBOS Transact beside Cairn (throughput, sequential, client, first-step) with tiny
 * counts, the peer in its own JVM from {@code bench-dbos/target}, and asserts that every execution asked for was
 * run and counted on both sides, that nothing failed, and that each scenario wrote its side-by-side table. It
 * asserts nothing about speed.
 *
 * <p>PostgreSQL: {@code CAIRN_TEST_JDBC_URL} when set, else 127.0.0.1:5432/test.
 */
class PeerBenchIT {

    private static final int EXECUTIONS = 12;
    private static final int SERIAL = 3;
    private static final int STEPS = 10;
    private static final int SEQ_STEPS = 15;
    private static final int SAMPLES = 4;

    @Test
    void cairnAndTheDbosPeerRunTheSameLoadsAndReportThemSideBySide() throws Exception {
        Path results = Path.of("target", "peer-results");
        List<String> lines = Bench.run(new String[] {"throughput,sequential,client,first-step", "--smoke",
                "--runs", "1", "--jdbc-url", jdbcUrl(), "--results-dir", results.toString(),
                "--executions", Integer.toString(EXECUTIONS), "--client-executions", Integer.toString(EXECUTIONS),
                "--client-serial-executions", Integer.toString(SERIAL), "--client-concurrency", "3,1",
                "--seq-steps", Integer.toString(SEQ_STEPS), "--first-step-samples", Integer.toString(SAMPLES)});

        assertThat(lines).extracting(l -> l.split(" ")[1])
                .containsExactly("throughput", "memory", "sequential", "client", "first-step");

        JsonNode throughput = run(results, "throughput");
        assertThat(throughput.get("executions").asInt()).isEqualTo(EXECUTIONS);
        assertThat(throughput.get("failed").asInt()).isZero();
        assertThat(throughput.get("dbos_executions").asInt()).isEqualTo(EXECUTIONS);
        assertThat(throughput.get("dbos_failed").asInt()).isZero();
        assertThat(throughput.get("dbos_steps_done").asInt()).isEqualTo(EXECUTIONS * STEPS);
        assertPositive(throughput, "dbos_steps_per_s", "dbos_executions_per_s", "dbos_latency_ms_p50",
                "dbos_latency_ms_p99", "ratio_steps_per_s");
        assertPositive(run(results, "memory"), "dbos_rss_mb", "dbos_heap_max_mb", "cairn_rss_mb");

        JsonNode sequential = run(results, "sequential");
        assertThat(sequential.get("dbos_steps").asInt()).isEqualTo(SEQ_STEPS);
        assertPositive(sequential, "step_ms_p50", "dbos_step_ms_p50", "dbos_step_ms_p99");

        JsonNode client = run(results, "client");
        for (int level : List.of(3, 1)) {
            int n = level == 1 ? SERIAL : EXECUTIONS;
            assertThat(client.get("executions_" + level).asInt()).as("Cairn executions at " + level).isEqualTo(n);
            assertThat(client.get("distinct_executions_" + level).asInt()).isEqualTo(n);
            assertThat(client.get("failed_" + level).asInt()).isZero();
            // at least the start and one read that saw the execution closed, unless the start already did
            assertThat(client.get("requests_per_execution_" + level).asDouble()).isGreaterThanOrEqualTo(1.0);
            assertThat(client.get("dbos_executions_" + level).asInt()).as("DBOS executions at " + level).isEqualTo(n);
            assertThat(client.get("dbos_failed_" + level).asInt()).isZero();
            assertThat(client.get("dbos_steps_done_" + level).asInt()).isEqualTo(n * STEPS);
            assertPositive(client, "steps_per_s_" + level, "executions_per_s_" + level, "latency_ms_p50_" + level,
                    "latency_ms_p99_" + level, "dbos_steps_per_s_" + level, "dbos_latency_ms_p50_" + level);
        }

        JsonNode firstStep = run(results, "first-step");
        assertThat(firstStep.get("samples").asInt()).isEqualTo(SAMPLES);
        assertThat(firstStep.get("dbos_samples").asInt()).isEqualTo(SAMPLES);
        assertPositive(firstStep, "first_step_ms_p50", "dbos_first_step_ms_p50");

        for (String scenario : List.of("throughput", "memory", "sequential", "client", "first-step")) {
            JsonNode tables = json(results, scenario).get("side_by_side");
            assertThat(tables).as(scenario + " side by side").isNotNull();
            for (JsonNode table : tables) {
                for (JsonNode row : table.get("rows")) {
                    if (row.get("figure").asString().contains("CPU")) {
                        // CPU time is counted in clock ticks of 10 ms: a tiny run may see none on one side
                        assertThat(row.get("cairn").isNumber()).as(scenario + " " + row).isTrue();
                        assertThat(row.get("dbos").isNumber()).as(scenario + " " + row).isTrue();
                        continue;
                    }
                    assertThat(row.get("cairn").asDouble()).as(scenario + " " + row).isPositive();
                    assertThat(row.get("dbos").asDouble()).as(scenario + " " + row).isPositive();
                    assertThat(row.get("cairn_over_dbos").asDouble()).as(scenario + " " + row).isPositive();
                }
            }
        }
        assertThat(json(results, "client").get("side_by_side")).hasSize(2);
        String md = Files.readString(results.resolve("side-by-side.md"));
        assertThat(md).contains("java -jar bench/target/bench-0.1.0-SNAPSHOT-exec.jar throughput,sequential,client,"
                + "first-step --smoke").contains("| Cairn | DBOS | Cairn ÷ DBOS | better |");
    }

    private static JsonNode json(Path results, String scenario) throws Exception {
        return Api.JSON.readTree(Files.readString(results.resolve(scenario + ".json")));
    }

    private static JsonNode run(Path results, String scenario) throws Exception {
        JsonNode runs = json(results, scenario).get("runs");
        assertThat(runs.size()).as(scenario + " runs").isEqualTo(1);
        return runs.get(0);
    }

    private static void assertPositive(JsonNode run, String... keys) {
        for (String k : keys) {
            assertThat(run.get(k)).as(k + " in " + run).isNotNull();
            assertThat(run.get(k).asDouble()).as(k).isPositive();
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
        }
    }
}
