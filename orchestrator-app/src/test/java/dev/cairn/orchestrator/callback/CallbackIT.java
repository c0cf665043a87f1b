package dev.cairn.orchestrator.callback;

import static dev.cairn.orchestrator.callback.Callbacker.callbackId;
import static dev.cairn.orchestrator.support.Updates.callbackStart;
import static dev.cairn.orchestrator.support.Updates.conditionContinue;
import static dev.cairn.orchestrator.support.Updates.conditionSucceed;
import static dev.cairn.orchestrator.support.Updates.contextCancel;
import static dev.cairn.orchestrator.support.Updates.contextStart;
import static dev.cairn.orchestrator.support.Updates.inContext;
import static dev.cairn.orchestrator.support.Updates.stepRetry;
import static dev.cairn.orchestrator.support.Updates.stepStart;
import static dev.cairn.orchestrator.support.Updates.waitStart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.orchestrator.support.Api;
import dev.cairn.orchestrator.support.FakeWorker;
import dev.cairn.orchestrator.support.Http;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.RegistrationAccepted;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.TestDatabase;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Callbacks (start, succeed, fail, heartbeat, timeouts, the REST answers and races), condition polls and the
 * cancellation of a context, with a fake worker over real HTTP.
 */
class CallbackIT {

    private static final MutableClock clock = new MutableClock();
    private static TestDatabase db;
    private static RunningOrchestrator orchestrator;
    private static FakeWorker worker;
    private static Api api;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(CallbackIT.class);
        orchestrator = RunningOrchestrator.start(db, clock, "cairn.orchestrator.payload-limit=4KB");
        api = new Api(orchestrator, JdbcClient.create(db.dataSource()));
        worker = FakeWorker.start("fake-cb", orchestrator.baseUrl(), clock, 16, new WorkflowRef("callbacker", "1"),
                new WorkflowRef("poller", "1"), new WorkflowRef("batcher", "1"));
        worker.script(Callbacker.WORKFLOW, Callbacker.script());
        worker.script("poller", calls -> {
            OperationRecord poll = calls.op("1").orElse(null);
            if (poll == null) {
                calls.complete(InvocationOutcome.PENDING, null, null,
                        conditionContinue("1", "until-ready", 1, "{\"n\":1}", calls.now().plusSeconds(10)));
            } else if (poll.status() == OperationStatus.READY) {
                int n = Http.JSON.readTree(poll.result()).get("n").asInt() + 1;
                String state = "{\"n\":" + n + "}";
                calls.checkpoint(conditionSucceed("1", "until-ready", poll.attempt() + 1, state));
                calls.complete(InvocationOutcome.SUCCEEDED, state, null);
            } else {
                calls.complete(InvocationOutcome.PENDING, null, null);
            }
        });
        worker.script("batcher", calls -> {
            if (calls.op("1").isPresent()) {
                calls.complete(InvocationOutcome.PENDING, null, null);
                return;
            }
            String cb = Http.JSON.readTree(calls.invocation().input()).get("cb").asString();
            Instant later = calls.now().plus(Duration.ofHours(2));
            calls.checkpoint(
                    contextStart("1", null, "Parallel", "fan"),
                    contextStart("1-1", "1", "ParallelBranch", "a"),
                    contextStart("1-2", "1", "ParallelBranch", "b"),
                    contextStart("1-20", "1", "ParallelBranch", "t"),
                    inContext(waitStart("1-1-1", "nap", later), "1-1"),
                    callbackStart("1-2-1", "1-2", "cb", cb, Duration.ofHours(2), Duration.ofHours(2)),
                    inContext(stepStart("1-2-2", "s", 1), "1-2"),
                    inContext(stepRetry("1-2-2", "s", 1, "boom", later), "1-2"),
                    inContext(waitStart("1-20-1", "trap", later), "1-20"));
            calls.complete(InvocationOutcome.PENDING, null, null,
                    inContext(stepStart("1-2-3", "t", 1), "1-2"),
                    contextCancel("1-2", "1", "ParallelBranch", "b"));
        });
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
    void aCallbackStartsAndSucceedsWithTheBodyAsItsResult() {
        String cb = callbackId();
        String id = api.start("callbacker", "{\"input\":{\"cb\":\"" + cb + "\"}}");
        JsonNode op = api.awaitIdleWith(id, "1", "STARTED");
        assertThat(op.get("type").asString()).isEqualTo("CALLBACK");
        assertThat(op.get("callbackId").asString()).isEqualTo(cb);
        assertThat(api.timerKinds(id)).isEmpty();
        JsonNode started = api.events(id, "CallbackStarted").get(0);
        assertThat(started.get("operationId").asString()).isEqualTo("1");
        assertThat(started.get("details").get("callbackId").asString()).isEqualTo(cb);

        Http.Response ok = api.post("/v1/callbacks/" + cb + "/succeed", "{\"approved\":true,\"by\":[\"ada\"]}");

        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().isEmpty()).isTrue();
        JsonNode execution = api.awaitStatus(id, "SUCCEEDED");
        assertThat(execution.get("result").get("approved").asBoolean()).isTrue();
        assertThat(api.operation(id, "1").orElseThrow().get("result").get("by").get(0).asString()).isEqualTo("ada");
        assertThat(api.historyTypes(id)).containsExactly("ExecutionStarted", "CallbackStarted", "InvocationCompleted",
                "CallbackSucceeded", "InvocationCompleted", "ExecutionSucceeded");
        assertThat(worker.received(id).get(1).operations().get(0).status()).isEqualTo(OperationStatus.SUCCEEDED);

        Map<String, Object> before = api.snapshot(id);
        for (String action : List.of("succeed", "fail", "heartbeat")) {
            Http.Response again = api.post("/v1/callbacks/" + cb + "/" + action, "{\"type\":\"x.Y\"}");
            assertThat(again.status()).as(action).isEqualTo(409);
            assertThat(again.contentType()).startsWith("application/problem+json");
            Http.Response unknown = api.post("/v1/callbacks/" + callbackId() + "/" + action, "{\"type\":\"x.Y\"}");
            assertThat(unknown.status()).as(action).isEqualTo(404);
            assertThat(unknown.contentType()).startsWith("application/problem+json");
        }
        assertThat(api.snapshot(id)).isEqualTo(before);
    }

    @Test
    void aFailedCallbackRecordsTheErrorWithItsDataAsJson() {
        String cb = callbackId();
        String id = api.start("callbacker", "{\"input\":{\"cb\":\"" + cb + "\",\"timeout\":3000}}");
        api.awaitIdleWith(id, "1", "STARTED");
        assertThat(api.timerKinds(id)).containsExactly("CALLBACK_TIMEOUT");
        Map<String, Object> before = api.snapshot(id);

        Http.Response noType = api.post("/v1/callbacks/" + cb + "/fail", "{\"message\":\"no\"}");
        Http.Response notJson = api.http().post(api.url("/v1/callbacks/" + cb + "/fail"), "text/plain", "no");
        Http.Response notAnObject = api.post("/v1/callbacks/" + cb + "/fail", "[1]");
        Http.Response malformed = api.post("/v1/callbacks/" + cb + "/succeed", "{\"a\":");

        assertThat(noType.status()).isEqualTo(400);
        assertThat(noType.json().get("errors").get(0).get("field").asString()).isEqualTo("type");
        assertThat(notJson.status()).isEqualTo(415);
        assertThat(notJson.contentType()).startsWith("application/problem+json");
        assertThat(notAnObject.status()).isEqualTo(400);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(api.snapshot(id)).isEqualTo(before);

        Http.Response failed = api.post("/v1/callbacks/" + cb + "/fail",
                "{\"type\":\"com.acme.Rejected\",\"message\":\"not approved\",\"data\":{\"reasons\":[\"budget\"]}}");

        assertThat(failed.status()).isEqualTo(200);
        JsonNode execution = api.awaitStatus(id, "FAILED");
        JsonNode error = api.operation(id, "1").orElseThrow().get("error");
        assertThat(error.get("type").asString()).isEqualTo("com.acme.Rejected");
        assertThat(error.get("message").asString()).isEqualTo("not approved");
        assertThat(error.get("data").get("reasons").get(0).asString()).isEqualTo("budget");
        assertThat(execution.get("error").get("type").asString()).isEqualTo("com.acme.Rejected");
        JsonNode event = api.events(id, "CallbackFailed").get(0).get("details");
        assertThat(event.get("error").get("data").get("reasons").size()).isEqualTo(1);
        assertThat(worker.received(id).get(1).operations().get(0).error().data()).isEqualTo("{\"reasons\":[\"budget\"]}");
        assertThat(api.timerKinds(id)).isEmpty();
    }

    @Test
    void bodiesOverThePayloadLimitAre413AndTheLimitIsToldToWorkers() {
        String cb = callbackId();
        String id = api.start("callbacker", "{\"input\":{\"cb\":\"" + cb + "\"}}");
        api.awaitIdleWith(id, "1", "STARTED");
        Map<String, Object> before = api.snapshot(id);
        String big = "{\"blob\":\"" + "x".repeat(5000) + "\"}";

        Http.Response succeed = api.post("/v1/callbacks/" + cb + "/succeed", big);
        Http.Response fail = api.post("/v1/callbacks/" + cb + "/fail",
                "{\"type\":\"x.Y\",\"data\":" + big + "}");
        Http.Response start = api.post("/v1/workflows/callbacker/executions", "{\"input\":" + big + "}");

        for (Http.Response r : List.of(succeed, fail, start)) {
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
        assertThat(api.snapshot(id)).isEqualTo(before);
        RegistrationAccepted accepted = Http.JSON.readValue(worker.register().body(), RegistrationAccepted.class);
        assertThat(accepted.payloadLimit()).isEqualTo(4096);

        assertThat(api.post("/v1/callbacks/" + cb + "/succeed", "null").status()).isEqualTo(200);
        assertThat(api.awaitStatus(id, "SUCCEEDED").has("result")).isFalse();
    }

    @Test
    void concurrentSucceedsOfOneCallbackLetExactlyOneThrough() throws Exception {
        String cb = callbackId();
        String id = api.start("callbacker", "{\"input\":{\"cb\":\"" + cb + "\"}}");
        api.awaitIdleWith(id, "1", "STARTED");
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < racers; i++) {
                int n = i;
                answers.add(pool.submit(() -> {
                    go.await();
                    // every racer's completion differs (a repeat of the winning one would be answered 200)
                    return api.post("/v1/callbacks/" + cb + (n % 2 == 0 ? "/succeed" : "/fail"),
                            "{\"type\":\"x.Y\",\"message\":\"racer " + n + "\"}").status();
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : answers) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsOnly(200, 409);
            assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        api.awaitStatus(id, "SUCCEEDED".equals(api.status(id, "1")) ? "SUCCEEDED" : "FAILED");
        long closing = api.historyTypes(id).stream()
                .filter(t -> t.equals("CallbackSucceeded") || t.equals("CallbackFailed")).count();
        assertThat(closing).isEqualTo(1);
    }

    @Test
    void aHeartbeatMovesTheHeartbeatTimerAndAMissedOneTimesTheCallbackOut() {
        String cb = callbackId();
        String id = api.start("callbacker", "{\"input\":{\"cb\":\"" + cb + "\",\"timeout\":3000,\"heartbeat\":60}}");
        api.awaitIdleWith(id, "1", "STARTED");
        assertThat(api.timerKinds(id)).containsExactly("CALLBACK_HEARTBEAT", "CALLBACK_TIMEOUT");
        Instant first = heartbeatDue(id);

        clock.advance(Duration.ofSeconds(30));
        Http.Response beat = api.http().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(api.url("/v1/callbacks/" + cb + "/heartbeat")))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));

        assertThat(beat.status()).isEqualTo(200);
        assertThat(Duration.between(first, heartbeatDue(id))).isBetween(Duration.ofSeconds(29),
                Duration.ofSeconds(31));
        assertThat(api.status(id, "1")).isEqualTo("STARTED");

        clock.advance(Duration.ofSeconds(61));

        JsonNode execution = api.awaitStatus(id, "SUCCEEDED");
        assertThat(execution.get("result").asString()).isEqualTo("timed out");
        assertThat(api.status(id, "1")).isEqualTo("TIMED_OUT");
        assertThat(api.events(id, "CallbackTimedOut").get(0).get("details").get("reason").asString())
                .isEqualTo("HEARTBEAT_TIMEOUT");
        assertThat(api.timerKinds(id)).isEmpty();
        assertThat(api.post("/v1/callbacks/" + cb + "/heartbeat", "{}").status()).isEqualTo(409);
        assertThat(api.post("/v1/callbacks/" + cb + "/succeed", "{}").status()).isEqualTo(409);
    }

    @Test
    void aHeartbeatOfACallbackWithoutHeartbeatTimeoutChangesNothing() {
        String cb = callbackId();
        String id = api.start("callbacker", "{\"input\":{\"cb\":\"" + cb + "\",\"timeout\":3000}}");
        api.awaitIdleWith(id, "1", "STARTED");
        Map<String, Object> before = api.snapshot(id);

        assertThat(api.post("/v1/callbacks/" + cb + "/heartbeat", "{}").status()).isEqualTo(200);

        assertThat(api.snapshot(id)).isEqualTo(before);
        assertThat(api.post("/v1/callbacks/" + cb + "/succeed", "1").status()).isEqualTo(200);
        assertThat(api.awaitStatus(id, "SUCCEEDED").get("result").asInt()).isEqualTo(1);
    }

    @Test
    void aCallbackTimesOutWhenItsTimeoutPasses() {
        String cb = callbackId();
        String id = api.start("callbacker", "{\"input\":{\"cb\":\"" + cb + "\",\"timeout\":600,\"heartbeat\":900}}");
        api.awaitIdleWith(id, "1", "STARTED");

        clock.advance(Duration.ofSeconds(601));

        assertThat(api.awaitStatus(id, "SUCCEEDED").get("result").asString()).isEqualTo("timed out");
        assertThat(api.events(id, "CallbackTimedOut")).singleElement()
                .satisfies(e -> assertThat(e.get("details").get("reason").asString()).isEqualTo("TIMEOUT"));
        assertThat(api.timerKinds(id)).isEmpty();
        Map<String, Object> before = api.snapshot(id);
        assertThat(api.post("/v1/callbacks/" + cb + "/succeed", "{}").status()).isEqualTo(409);
        assertThat(api.post("/v1/callbacks/" + cb + "/fail", "{\"type\":\"x.Y\"}").status()).isEqualTo(409);
        assertThat(api.snapshot(id)).isEqualTo(before);
    }

    @Test
    void aConditionPollIsRecordedAsAStepAttemptWithItsStateAndPollsAgainWhenDue() {
        String id = api.start("poller", "{}");
        JsonNode op = api.awaitIdleWith(id, "1", "PENDING");
        assertThat(op.get("subType").asString()).isEqualTo("WaitForCondition");
        assertThat(op.get("result").get("n").asInt()).isEqualTo(1);
        assertThat(op.hasNonNull("nextAttemptAt")).isTrue();
        assertThat(api.timerKinds(id)).containsExactly("RETRY");
        JsonNode poll = api.events(id, "StepSucceeded").get(0).get("details");
        assertThat(poll.get("attempt").asInt()).isEqualTo(1);
        assertThat(poll.get("state").get("n").asInt()).isEqualTo(1);
        assertThat(poll.hasNonNull("nextAttemptAt")).isTrue();

        clock.advance(Duration.ofSeconds(11));

        JsonNode execution = api.awaitStatus(id, "SUCCEEDED");
        assertThat(execution.get("result").get("n").asInt()).isEqualTo(2);
        OperationRecord seen = worker.received(id).get(1).operations().get(0);
        assertThat(seen.status()).isEqualTo(OperationStatus.READY);
        assertThat(seen.result()).isEqualTo("{\"n\":1}");
        assertThat(api.historyTypes(id)).containsExactly("ExecutionStarted", "StepStarted", "StepSucceeded",
                "InvocationCompleted", "StepStarted", "StepSucceeded", "InvocationCompleted", "ExecutionSucceeded");
        List<JsonNode> started = api.events(id, "StepStarted");
        assertThat(started.get(1).get("details").get("attempt").asInt()).isEqualTo(2);
        JsonNode last = api.events(id, "StepSucceeded").get(1).get("details");
        assertThat(last.get("attempt").asInt()).isEqualTo(2);
        assertThat(last.get("state").get("n").asInt()).isEqualTo(2);
        assertThat(last.has("nextAttemptAt")).isFalse();
        assertThat(api.operation(id, "1").orElseThrow().get("attempt").asInt()).isEqualTo(2);
    }

    @Test
    void cancellingAContextCancelsEverythingOpenInsideItAndRemovesTheirTimers() {
        String cb = callbackId();
        String id = api.start("batcher", "{\"input\":{\"cb\":\"" + cb + "\"}}");
        api.awaitIdleWith(id, "1-2", "CANCELLED");

        assertThat(api.status(id, "1-2-1")).isEqualTo("CANCELLED");
        assertThat(api.status(id, "1-2-2")).isEqualTo("CANCELLED");
        assertThat(api.status(id, "1-2-3")).isEqualTo("CANCELLED");
        assertThat(api.operation(id, "1-2-3").orElseThrow().hasNonNull("endedAt")).isTrue();
        assertThat(api.status(id, "1")).isEqualTo("STARTED");
        assertThat(api.status(id, "1-1")).isEqualTo("STARTED");
        assertThat(api.status(id, "1-1-1")).isEqualTo("STARTED");
        assertThat(api.status(id, "1-20")).isEqualTo("STARTED");
        assertThat(api.status(id, "1-20-1")).isEqualTo("STARTED");
        assertThat(api.sql().sql("select timer_id from timers where execution_id = ?::uuid order by timer_id")
                .param(id).query(String.class).list()).containsExactly("1-1-1", "1-20-1");
        Map<String, Object> before = api.snapshot(id);
        assertThat(api.post("/v1/callbacks/" + cb + "/succeed", "{}").status()).isEqualTo(409);
        assertThat(api.snapshot(id)).isEqualTo(before);
    }

    private static Instant heartbeatDue(String id) {
        return api.sql().sql("select due_at from timers where execution_id = ?::uuid and kind = 'CALLBACK_HEARTBEAT'")
                .param(id).query(Timestamp.class).single().toInstant();
    }


}
