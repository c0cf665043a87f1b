package dev.cairn.orchestrator.dispatch;

import static dev.cairn.orchestrator.support.Updates.stepRetry;
import static dev.cairn.orchestrator.support.Updates.stepStart;
import static dev.cairn.orchestrator.support.Updates.stepSucceed;
import static dev.cairn.orchestrator.support.Updates.waitStart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.orchestrator.support.FakeWorker;
import dev.cairn.orchestrator.support.Http;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.Heartbeat;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.RegistrationAccepted;
import dev.cairn.protocol.WorkerRegistration;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The orchestrator driving a fake worker over real HTTP through the whole protocol. */
class InvocationFlowIT {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final MutableClock clock = new MutableClock();
    private static final Http http = new Http();
    private static TestDatabase db;
    private static RunningOrchestrator orchestrator;
    private static FakeWorker worker;
    private static JdbcClient sql;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(InvocationFlowIT.class);
        sql = JdbcClient.create(db.dataSource());
        orchestrator = RunningOrchestrator.start(db, clock);
        worker = FakeWorker.start("fake-1", orchestrator.baseUrl(), clock, 8,
                new WorkflowRef("hello", "1"), new WorkflowRef("waiter", "1"), new WorkflowRef("retrier", "1"),
                new WorkflowRef("sleeper", "1"), new WorkflowRef("hang", "1"), new WorkflowRef("versioned", "1"),
                new WorkflowRef("busy", "1"));
        worker.script("hello", calls -> {
            if (calls.op("1").isEmpty()) {
                calls.checkpoint(stepStart("1", "greet", 1), stepSucceed("1", "greet", 1, "\"hi\""));
            }
            calls.complete(InvocationOutcome.SUCCEEDED, "\"done\"", null);
        });
        worker.script("waiter", calls -> {
            if (calls.op("1").isEmpty()) {
                calls.checkpoint(stepStart("1", "prepare", 1), stepSucceed("1", "prepare", 1, "1"));
            }
            OperationStatus wait = calls.op("2").map(OperationRecord::status).orElse(null);
            if (wait == null) {
                calls.checkpoint(waitStart("2", "pause", calls.now().plus(Duration.ofHours(1))));
                calls.complete(InvocationOutcome.PENDING, null, null);
            } else if (wait == OperationStatus.SUCCEEDED) {
                calls.complete(InvocationOutcome.SUCCEEDED, "\"waited\"", null);
            } else {
                calls.complete(InvocationOutcome.PENDING, null, null);
            }
        });
        worker.script("retrier", calls -> {
            OperationRecord step = calls.op("1").orElse(null);
            if (step == null) {
                calls.complete(InvocationOutcome.PENDING, null, null, stepStart("1", "flaky", 1),
                        stepRetry("1", "flaky", 1, "boom", calls.now().plusSeconds(10)));
            } else if (step.status() == OperationStatus.READY) {
                int attempt = step.attempt() + 1;
                calls.checkpoint(stepStart("1", "flaky", attempt), stepSucceed("1", "flaky", attempt, "42"));
                calls.complete(InvocationOutcome.SUCCEEDED, "42", null);
            } else {
                calls.complete(InvocationOutcome.PENDING, null, null);
            }
        });
        worker.script("sleeper", calls -> {
            if (worker.received(calls.invocation().executionId()).size() > 1) {
                calls.complete(InvocationOutcome.SUCCEEDED, "\"woke\"", null);
            }
        });
        worker.script("hang", calls -> {
        });
        worker.script("versioned", calls -> calls.complete(InvocationOutcome.SUCCEEDED, "\"v1\"", null));
        worker.script("busy", calls -> calls.complete(InvocationOutcome.SUCCEEDED, "\"finally\"", null));
        worker.refuse("busy", 2);
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
    void registersTheWorkerAndItsWorkflows() {
        assertThat(sql.sql("select endpoint from workers where worker_id = 'fake-1'").query(String.class).single())
                .isEqualTo(worker.endpoint());
        assertThat(sql.sql("select count(*) from worker_workflows where worker_id = 'fake-1'").query(Long.class)
                .single()).isEqualTo(7);
        assertThat(sql.sql("select workflow from workflow_versions").query(String.class).list())
                .contains("hello", "waiter", "retrier", "sleeper", "hang", "versioned");
        Http.Response registered = worker.register();
        RegistrationAccepted accepted = Http.JSON.readValue(registered.body(), RegistrationAccepted.class);
        assertThat(accepted.workerId()).isEqualTo("fake-1");
        assertThat(accepted.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        Http.Response unknown = http.post(orchestrator.url("/v1/workers/nobody/heartbeat"), new Heartbeat(0, List.of()));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        Http.Response invalid = http.post(orchestrator.url("/v1/workers/register"),
                new WorkerRegistration("w", "not a url", 0, List.of()));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("errors").size()).isEqualTo(2);
    }

    @Test
    void dispatchesAStartedExecutionAndRecordsItsCheckpointsAndCompletion() {
        String id = start("hello", "{\"input\":{\"who\":\"world\"}}");

        JsonNode execution = awaitStatus(id, "SUCCEEDED");

        assertThat(execution.get("result").asString()).isEqualTo("done");
        assertThat(execution.hasNonNull("endedAt")).isTrue();
        Invocation invocation = worker.received(id).get(0);
        assertThat(invocation.workflow()).isEqualTo("hello");
        assertThat(invocation.version()).isEqualTo("1");
        assertThat(invocation.input()).isEqualTo("{\"who\":\"world\"}");
        assertThat(invocation.operations()).isEmpty();
        JsonNode op = operations(id).get(0);
        assertThat(op.get("id").asString()).isEqualTo("1");
        assertThat(op.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(op.get("result").asString()).isEqualTo("hi");
        assertThat(op.get("attempt").asInt()).isEqualTo(1);
        assertThat(historyTypes(id)).containsExactly("ExecutionStarted", "StepStarted", "StepSucceeded",
                "InvocationCompleted", "ExecutionSucceeded");
        JsonNode completed = historyEvent(id, "InvocationCompleted").get(0).get("details");
        assertThat(completed.get("outcome").asString()).isEqualTo("SUCCEEDED");
        assertThat(completed.get("workerId").asString()).isEqualTo("fake-1");
        assertThat(sql.sql("select invocation_token is null and lease_expires_at is null and ready_at is null"
                + " from executions where execution_id = ?::uuid").param(id).query(Boolean.class).single()).isTrue();
    }

    @Test
    void aWaitFiresAndTheExecutionIsDispatchedAgain() {
        String id = start("waiter", "{}");
        await().atMost(PATIENCE).until(() -> idle(id) && "STARTED".equals(operationStatus(id, "2")));
        assertThat(sql.sql("select kind from timers where execution_id = ?::uuid").param(id).query(String.class).list())
                .containsExactly("WAIT");

        clock.advance(Duration.ofHours(1));

        awaitStatus(id, "SUCCEEDED");
        assertThat(worker.received(id)).hasSize(2);
        assertThat(worker.received(id).get(1).operations()).extracting(OperationRecord::status)
                .containsExactly(OperationStatus.SUCCEEDED, OperationStatus.SUCCEEDED);
        assertThat(historyTypes(id)).containsSubsequence("WaitStarted", "InvocationCompleted", "WaitSucceeded",
                "InvocationCompleted", "ExecutionSucceeded");
        assertThat(historyEvent(id, "WaitStarted").get(0).get("details").hasNonNull("scheduledEndAt")).isTrue();
    }

    @Test
    void aRetryTimerMakesTheStepReadyAndTheExecutionIsDispatchedAgain() {
        String id = start("retrier", "{}");
        await().atMost(PATIENCE).until(() -> idle(id) && "PENDING".equals(operationStatus(id, "1")));
        assertThat(operations(id).get(0).hasNonNull("nextAttemptAt")).isTrue();

        clock.advance(Duration.ofSeconds(11));

        JsonNode execution = awaitStatus(id, "SUCCEEDED");
        assertThat(execution.get("result").asInt()).isEqualTo(42);
        OperationRecord seen = worker.received(id).get(1).operations().get(0);
        assertThat(seen.status()).isEqualTo(OperationStatus.READY);
        assertThat(seen.attempt()).isEqualTo(1);
        assertThat(seen.error().message()).isEqualTo("boom");
        assertThat(historyTypes(id)).containsExactly("ExecutionStarted", "StepStarted", "StepFailed",
                "InvocationCompleted", "StepStarted", "StepSucceeded", "InvocationCompleted", "ExecutionSucceeded");
        JsonNode failed = historyEvent(id, "StepFailed").get(0).get("details");
        assertThat(failed.get("attempt").asInt()).isEqualTo(1);
        assertThat(failed.get("error").get("message").asString()).isEqualTo("boom");
        assertThat(failed.hasNonNull("nextAttemptAt")).isTrue();
        assertThat(operations(id).get(0).get("attempt").asInt()).isEqualTo(2);
    }

    @Test
    void aStaleTokenIsFencedAndWritesNothing() {
        String id = start("hello", "{}");
        awaitStatus(id, "SUCCEEDED");
        String oldToken = worker.received(id).get(0).invocationToken();
        Map<String, Long> before = counts();

        for (String token : List.of(oldToken, UUID.randomUUID().toString(), "not-a-token")) {
            Http.Response checkpoint = http.post(orchestrator.url("/v1/invocations/checkpoints"),
                    new CheckpointRequest(id, token, List.of(stepStart("9", "late", 1))));
            assertThat(checkpoint.status()).isEqualTo(409);
            assertThat(checkpoint.contentType()).startsWith("application/problem+json");
            Http.Response complete = http.post(orchestrator.url("/v1/invocations/complete"), new CompletionRequest(id,
                    token, InvocationOutcome.SUCCEEDED, "1", null, List.of(stepStart("9", "late", 1)), null, null));
            assertThat(complete.status()).isEqualTo(409);
        }

        assertThat(counts()).isEqualTo(before);
        assertThat(awaitStatus(id, "SUCCEEDED").get("result").asString()).isEqualTo("done");
    }

    @Test
    void anExpiredLeaseIsLostAndTheExecutionIsDispatchedAgainWithANewToken() {
        String id = start("sleeper", "{}");
        await().atMost(PATIENCE).until(() -> worker.received(id).size() == 1);
        String firstToken = worker.received(id).get(0).invocationToken();

        clock.advance(Duration.ofSeconds(31));

        awaitStatus(id, "SUCCEEDED");
        assertThat(worker.received(id)).hasSize(2);
        assertThat(worker.received(id).get(1).invocationToken()).isNotEqualTo(firstToken);
        List<String> outcomes = new ArrayList<>();
        historyEvent(id, "InvocationCompleted").forEach(e -> outcomes.add(e.get("details").get("outcome").asString()));
        assertThat(outcomes).containsExactly("LOST", "SUCCEEDED");
        JsonNode lost = historyEvent(id, "InvocationCompleted").get(0).get("details");
        assertThat(lost.get("workerId").asString()).isEqualTo("fake-1");
        assertThat(lost.hasNonNull("startedAt")).isTrue();
        assertThat(http.post(orchestrator.url("/v1/invocations/checkpoints"),
                new CheckpointRequest(id, firstToken, List.of())).status()).isEqualTo(409);
    }

    @Test
    void aHeartbeatExtendsTheLeasesItListsAndSkipsARowAnotherTransactionHolds() throws Exception {
        String free = start("hang", "{}");
        String held = start("hang", "{}");
        await().atMost(PATIENCE).until(() -> worker.received(free).size() == 1 && worker.received(held).size() == 1);
        String shortened = "update executions set lease_expires_at = lease_expires_at - interval '20 seconds'"
                + " where execution_id in (?::uuid, ?::uuid)";
        sql.sql(shortened).params(free, held).update();
        Heartbeat heartbeat = new Heartbeat(2, List.of(
                new Heartbeat.InvocationRef(free, worker.received(free).get(0).invocationToken()),
                new Heartbeat.InvocationRef(held, worker.received(held).get(0).invocationToken())));
        Instant heldLease;
        Instant before = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try (Connection other = db.dataSource().getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement("select lease_expires_at from executions where execution_id = ?::uuid"
                    + " for update")) {
                lock.setString(1, held);
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    heldLease = rs.getTimestamp(1).toInstant();
                }
            }
            // answered while the other transaction still holds the row: the heartbeat does not wait for it
            assertThat(http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(orchestrator.url("/v1/workers/fake-1/heartbeat")))
                    .header("Content-Type", "application/json")
                    .header(Heartbeat.WORKER_SECRET_HEADER, worker.invocationSecret())
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Http.JSON.writeValueAsString(heartbeat))))
                    .status()).isEqualTo(200);
            other.rollback();
        }
        assertThat(lease(free)).isAfterOrEqualTo(before.plus(Duration.ofSeconds(30)));
        assertThat(lease(held)).isEqualTo(heldLease);
    }

    private static Instant lease(String id) {
        return sql.sql("select lease_expires_at from executions where execution_id = ?::uuid").param(id)
                .query(Timestamp.class).single().toInstant();
    }

    @Test
    void anExecutionTimesOutAndItsInvocationIsFenced() {
        String id = start("hang", "{\"timeoutSeconds\":60}");
        await().atMost(PATIENCE).until(() -> worker.received(id).size() == 1);

        clock.advance(Duration.ofSeconds(61));

        awaitStatus(id, "TIMED_OUT");
        assertThat(historyTypes(id)).contains("ExecutionTimedOut");
        assertThat(sql.sql("select count(*) from timers where execution_id = ?::uuid").param(id).query(Long.class)
                .single()).isZero();
        for (Invocation invocation : worker.received(id)) {
            assertThat(http.post(orchestrator.url("/v1/invocations/checkpoints"), new CheckpointRequest(id,
                    invocation.invocationToken(), List.of(stepStart("1", "late", 1)))).status()).isEqualTo(409);
        }
        assertThat(operations(id)).isEmpty();
    }

    @Test
    void anExecutionOfVersion2IsNeverSentToAWorkerServingOnly1() {
        assertThat(http.post(orchestrator.url("/v1/workers/register"), new WorkerRegistration("ghost",
                "http://127.0.0.1:9", 1, List.of(new WorkflowRef("versioned", "2")))).status()).isEqualTo(200);
        sql.sql("update workers set last_heartbeat_at = '2000-01-01T00:00:00Z' where worker_id = 'ghost'").update();
        String v2 = start("versioned", "{\"version\":\"2\"}");

        String current = start("versioned", "{}");

        JsonNode done = awaitStatus(current, "SUCCEEDED");
        assertThat(done.get("version").asString()).isEqualTo("1");
        assertThat(worker.received(v2)).isEmpty();
        assertThat(sql.sql("select invocation_token is null and ready_at is not null from executions"
                + " where execution_id = ?::uuid").param(v2).query(Boolean.class).single()).isTrue();
        assertThat(get(v2).get("status").asString()).isEqualTo("RUNNING");
    }

    @Test
    void aBusyWorkerGetsTheInvocationAgainLater() {
        String id = start("busy", "{}");

        JsonNode execution = awaitStatus(id, "SUCCEEDED");

        assertThat(execution.get("result").asString()).isEqualTo("finally");
        List<Invocation> received = worker.received(id);
        assertThat(received).hasSize(3);
        assertThat(received).extracting(Invocation::invocationToken).doesNotHaveDuplicates();
        assertThat(historyTypes(id)).containsExactly("ExecutionStarted", "InvocationCompleted", "ExecutionSucceeded");
    }

    private static String start(String workflow, String body) {
        Http.Response r = http.post(orchestrator.url("/v1/workflows/" + workflow + "/executions"), "application/json",
                body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("executionId").asString();
    }

    private static JsonNode get(String id) {
        return http.get(orchestrator.url("/v1/executions/" + id)).json();
    }

    private static JsonNode awaitStatus(String id, String status) {
        await().atMost(PATIENCE).until(() -> status.equals(get(id).get("status").asString()));
        return get(id);
    }

    private static boolean idle(String id) {
        return sql.sql("select invocation_token is null from executions where execution_id = ?::uuid").param(id)
                .query(Boolean.class).single();
    }

    private static JsonNode operations(String id) {
        return http.get(orchestrator.url("/v1/executions/" + id + "/operations")).json().get("items");
    }

    private static String operationStatus(String id, String operationId) {
        for (JsonNode op : operations(id)) {
            if (op.get("id").asString().equals(operationId)) {
                return op.get("status").asString();
            }
        }
        return null;
    }

    private static List<JsonNode> history(String id) {
        List<JsonNode> events = new ArrayList<>();
        http.get(orchestrator.url("/v1/executions/" + id + "/history?limit=1000")).json().get("items")
                .forEach(events::add);
        return events;
    }

    private static List<String> historyTypes(String id) {
        return history(id).stream().map(e -> e.get("type").asString()).toList();
    }

    private static List<JsonNode> historyEvent(String id, String type) {
        return history(id).stream().filter(e -> e.get("type").asString().equals(type)).toList();
    }

    private static Map<String, Long> counts() {
        return Map.of("operations", count("operations"), "history_events", count("history_events"),
                "timers", count("timers"));
    }

    private static long count(String table) {
        return sql.sql("select count(*) from " + table).query(Long.class).single();
    }
}
