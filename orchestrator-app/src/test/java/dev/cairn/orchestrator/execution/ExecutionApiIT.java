package dev.cairn.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.orchestrator.support.Http;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.protocol.WorkerRegistration;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class ExecutionApiIT {

    private static TestDatabase db;
    private static RunningOrchestrator orchestrator;
    private static JdbcClient sql;
    private static final Http http = new Http();

    @BeforeAll
    static void start() {
        db = TestDatabase.create(ExecutionApiIT.class);
        sql = JdbcClient.create(db.dataSource());
        orchestrator = RunningOrchestrator.start(db, new MutableClock());
        Http.Response registered = http.post(orchestrator.url("/v1/workers/register"), new WorkerRegistration(
                "api-worker", "http://127.0.0.1:9", 4,
                List.of(new WorkflowRef("greeter", "1"), new WorkflowRef("greeter", "2"))));
        assertThat(registered.status()).isEqualTo(200);
        // no live worker: nothing is dispatched, executions stay as started
        sql.sql("update workers set last_heartbeat_at = now() - interval '1 day'").update();
    }

    @AfterAll
    static void stop() {
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void startsAnExecutionAndShowsItInTheDocumentedShapes() {
        Http.Response started = start("greeter", "{\"input\":{\"name\":\"Ada\",\"n\":[1,2]},\"executionName\":\"ada-1\"}");

        assertThat(started.status()).isEqualTo(201);
        assertThat(started.contentType()).startsWith("application/json");
        JsonNode body = started.json();
        String id = body.get("executionId").asString();
        assertThat(body.get("executionName").asString()).isEqualTo("ada-1");
        assertThat(body.get("workflow").asString()).isEqualTo("greeter");
        assertThat(body.get("version").asString()).isEqualTo("2");
        assertThat(body.get("status").asString()).isEqualTo("RUNNING");
        assertThat(body.get("input").get("name").asString()).isEqualTo("Ada");
        assertThat(body.get("input").get("n").size()).isEqualTo(2);
        assertThat(Instant.parse(body.get("startedAt").asString())).isNotNull();
        assertThat(body.has("result")).isFalse();
        assertThat(body.has("endedAt")).isFalse();

        Http.Response got = http.get(orchestrator.url("/v1/executions/" + id));
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json()).isEqualTo(body);

        JsonNode operations = http.get(orchestrator.url("/v1/executions/" + id + "/operations")).json();
        assertThat(operations.get("items").size()).isZero();
        assertThat(operations.has("nextPageToken")).isFalse();

        JsonNode history = http.get(orchestrator.url("/v1/executions/" + id + "/history")).json();
        assertThat(history.get("items").size()).isEqualTo(1);
        JsonNode event = history.get("items").get(0);
        assertThat(event.get("seq").asLong()).isEqualTo(1);
        assertThat(event.get("type").asString()).isEqualTo("ExecutionStarted");
        assertThat(event.get("timestamp").asString()).isEqualTo(body.get("startedAt").asString());
        assertThat(event.get("details").get("version").asString()).isEqualTo("2");

        assertThat(sql.sql("select ready_at is not null from executions where execution_id = ?::uuid").param(id)
                .query(Boolean.class).single()).isTrue();
    }

    @Test
    void startWithTheSameNameAndInputReturnsTheExistingExecution() {
        Http.Response first = start("greeter", "{\"input\":{\"a\":1,\"b\":2},\"executionName\":\"same\"}");
        Map<String, Long> before = counts();

        Http.Response again = start("greeter", "{\"input\":{\"b\":2,\"a\":1},\"executionName\":\"same\",\"version\":\"1\"}");

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void startWithTheSameNameAndOtherInputIsAConflict() {
        assertThat(start("greeter", "{\"input\":\"one\",\"executionName\":\"taken\"}").status()).isEqualTo(201);
        Map<String, Long> before = counts();

        Http.Response conflict = start("greeter", "{\"input\":\"two\",\"executionName\":\"taken\"}");

        assertProblem(conflict, 409);
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void startPinsTheRequestedVersionAndStoresTheTimeout() {
        Http.Response started = start("greeter", "{\"version\":\"1\",\"timeoutSeconds\":60,\"retentionDays\":3}");

        assertThat(started.status()).isEqualTo(201);
        JsonNode body = started.json();
        assertThat(body.get("version").asString()).isEqualTo("1");
        assertThat(body.has("input")).isFalse();
        Instant startedAt = Instant.parse(body.get("startedAt").asString());
        assertThat(Instant.parse(body.get("timeoutAt").asString())).isEqualTo(startedAt.plusSeconds(60));
        assertThat(sql.sql("select kind from timers where execution_id = ?::uuid")
                .param(body.get("executionId").asString()).query(String.class).list())
                .containsExactly("EXECUTION_TIMEOUT");
    }

    @Test
    void badStartsAnswerProblemsAndStoreNothing() {
        Map<String, Long> before = counts();

        assertProblem(start("nobody-registered-this", "{\"input\":1}"), 404);
        assertProblem(start("greeter", "{\"version\":\"7\"}"), 404);
        assertProblem(start("greeter", "{\"input\": {"), 400);
        assertProblem(start("greeter", "[1,2]"), 400);
        assertProblem(start("greeter", ""), 400);
        assertProblem(start("greeter", "{\"timeoutSeconds\":0}"), 400);
        assertProblem(start("greeter", "{\"retentionDays\":91}"), 400);
        assertProblem(start("greeter", "{\"version\":5}"), 400);
        Http.Response badName = start("greeter", "{\"executionName\":\"no spaces allowed\"}");
        assertProblem(badName, 400);
        assertThat(badName.json().get("errors").get(0).get("field").asString()).isEqualTo("executionName");
        assertProblem(http.post(orchestrator.url("/v1/workflows/greeter/executions"), "text/plain", "{}"), 415);
        byte[] huge = ("{\"input\":\"" + "x".repeat(1024 * 1024) + "\"}").getBytes();
        assertProblem(http.post(orchestrator.url("/v1/workflows/greeter/executions"), "application/json", huge), 413);

        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void unknownIdsPathsAndMethodsAreProblems() {
        assertProblem(http.get(orchestrator.url("/v1/executions/not-a-uuid")), 404);
        assertProblem(http.get(orchestrator.url("/v1/executions/not-a-uuid/operations")), 404);
        assertProblem(http.get(orchestrator.url("/v1/executions/" + UUID.randomUUID())), 404);
        assertProblem(http.get(orchestrator.url("/v1/executions/" + UUID.randomUUID() + "/history")), 404);
        assertProblem(http.get(orchestrator.url("/v1/no-such-thing")), 404);
        assertProblem(http.get(orchestrator.url("/v1/workflows/greeter/executions")), 405);
        assertProblem(http.get(orchestrator.url("/v1/executions?limit=0")), 400);
        assertProblem(http.get(orchestrator.url("/v1/executions?limit=abc")), 400);
        assertProblem(http.get(orchestrator.url("/v1/executions?status=DONE")), 400);
        assertProblem(http.get(orchestrator.url("/v1/executions?pageToken=garbage")), 400);
    }

    @Test
    void operationsAndHistoryArePaged() {
        String id = start("greeter", "{}").json().get("executionId").asString();
        for (int i = 1; i <= 5; i++) {
            sql.sql("""
                    insert into operations (execution_id, operation_id, type, sub_type, name, status, attempt, started_at, result)
                    values (?::uuid, ?, 'STEP', 'Step', ?, 'SUCCEEDED', 1, now(), ?)
                    """).params(id, Integer.toString(i), "step-" + i, "{\"i\":" + i + "}").update();
            sql.sql("insert into history_events (execution_id, type, occurred_at, operation_id) values (?::uuid, 'StepSucceeded', now(), ?)")
                    .params(id, Integer.toString(i)).update();
        }

        List<String> ids = new ArrayList<>();
        String token = null;
        do {
            JsonNode page = http.get(orchestrator.url("/v1/executions/" + id + "/operations?limit=2"
                    + (token == null ? "" : "&pageToken=" + token))).json();
            assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
            page.get("items").forEach(op -> ids.add(op.get("id").asString()));
            token = page.has("nextPageToken") ? page.get("nextPageToken").asString() : null;
        } while (token != null);
        assertThat(ids).containsExactly("1", "2", "3", "4", "5");

        JsonNode first = http.get(orchestrator.url("/v1/executions/" + id + "/operations?limit=1")).json()
                .get("items").get(0);
        assertThat(first.get("type").asString()).isEqualTo("STEP");
        assertThat(first.get("attempt").asInt()).isEqualTo(1);
        assertThat(first.get("result").get("i").asInt()).isEqualTo(1);
        assertThat(first.has("parentId")).isFalse();

        List<Long> seqs = new ArrayList<>();
        token = null;
        do {
            JsonNode page = http.get(orchestrator.url("/v1/executions/" + id + "/history?reverse=true&limit=4"
                    + (token == null ? "" : "&pageToken=" + token))).json();
            page.get("items").forEach(e -> seqs.add(e.get("seq").asLong()));
            token = page.has("nextPageToken") ? page.get("nextPageToken").asString() : null;
        } while (token != null);
        assertThat(seqs).containsExactly(6L, 5L, 4L, 3L, 2L, 1L);
    }

    @Test
    void listsExecutionsWithFiltersNewestFirst() {
        String a = start("greeter", "{\"executionName\":\"list-a\"}").json().get("executionId").asString();
        String b = start("greeter", "{\"executionName\":\"list-b\"}").json().get("executionId").asString();

        JsonNode page = http.get(orchestrator.url("/v1/executions?workflow=greeter&status=RUNNING&limit=1000")).json();
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(e -> ids.add(e.get("executionId").asString()));
        assertThat(ids.indexOf(b)).isLessThan(ids.indexOf(a));

        JsonNode named = http.get(orchestrator.url("/v1/executions?executionName=list-a")).json();
        assertThat(named.get("items").size()).isEqualTo(1);
        assertThat(named.get("items").get(0).get("executionId").asString()).isEqualTo(a);

        List<String> paged = new ArrayList<>();
        String token = null;
        do {
            JsonNode p = http.get(orchestrator.url("/v1/executions?order=asc&limit=2"
                    + (token == null ? "" : "&pageToken=" + token))).json();
            p.get("items").forEach(e -> paged.add(e.get("executionId").asString()));
            token = p.has("nextPageToken") ? p.get("nextPageToken").asString() : null;
        } while (token != null);
        assertThat(paged).hasSize(sql.sql("select count(*) from executions").query(Long.class).single().intValue())
                .doesNotHaveDuplicates();
        assertThat(paged.indexOf(a)).isLessThan(paged.indexOf(b));
    }

    @Test
    void exposesHealthProbesAndMetricsOnTheManagementPort() {
        String management = "http://127.0.0.1:"
                + orchestrator.context().getEnvironment().getProperty("local.management.port");

        assertThat(http.get(management + "/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(http.get(management + "/actuator/health/readiness").status()).isEqualTo(200);
        Http.Response metrics = http.get(management + "/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_");
    }

    private static Http.Response start(String workflow, String body) {
        return http.post(orchestrator.url("/v1/workflows/" + workflow + "/executions"), "application/json", body);
    }

    private static void assertProblem(Http.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).as(response.body()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.hasNonNull("title")).isTrue();
        assertThat(problem.hasNonNull("detail")).as(response.body()).isTrue();
    }

    private static Map<String, Long> counts() {
        return Map.of(
                "executions", count("executions"),
                "operations", count("operations"),
                "history_events", count("history_events"),
                "timers", count("timers"));
    }

    private static long count(String table) {
        return sql.sql("select count(*) from " + table).query(Long.class).single();
    }
}
