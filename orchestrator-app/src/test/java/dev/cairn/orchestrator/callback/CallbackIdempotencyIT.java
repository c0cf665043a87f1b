package dev.cairn.orchestrator.callback;

import static dev.cairn.orchestrator.callback.Callbacker.callbackId;
import static dev.cairn.orchestrator.support.Updates.callbackStart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.orchestrator.OrchestratorProperties;
import dev.cairn.orchestrator.json.PayloadJson;
import dev.cairn.orchestrator.ledger.FiredTimers;
import dev.cairn.orchestrator.metrics.CairnMetrics;
import dev.cairn.orchestrator.notify.Wakeups;
import dev.cairn.orchestrator.support.Api;
import dev.cairn.orchestrator.support.FakeWorker;
import dev.cairn.orchestrator.support.Http;
import dev.cairn.orchestrator.support.Ledgers;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.OpenTransaction;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.TestDatabase;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Callback requests sent twice, or racing the callback's timers: a repeat of the completion that closed a callback
 * answers as the first did and changes nothing; whichever of a completion and a timer takes the callback first is
 * the one outcome recorded, and the other is answered accordingly. Races are set up by holding one side's
 * transaction open on a connection of its own while the other runs.
 */
class CallbackIdempotencyIT {

    private static final MutableClock clock = new MutableClock();
    private static TestDatabase db;
    private static RunningOrchestrator orchestrator;
    private static FakeWorker worker;
    private static Api api;
    private static final ExecutorService requests = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() {
        db = TestDatabase.create(CallbackIdempotencyIT.class);
        orchestrator = RunningOrchestrator.start(db, clock);
        api = new Api(orchestrator, JdbcClient.create(db.dataSource()));
        worker = FakeWorker.start("fake-idempotent", orchestrator.baseUrl(), clock, 16,
                new WorkflowRef("callbacker", "1"), new WorkflowRef("pair", "1"));
        worker.script(Callbacker.WORKFLOW, Callbacker.script());
        worker.script("pair", calls -> {
            JsonNode input = Http.JSON.readTree(calls.invocation().input());
            if (calls.op("1").isEmpty()) {
                calls.checkpoint(callbackStart("1", null, "first", input.get("a").asString(), null, null),
                        callbackStart("2", null, "second", input.get("b").asString(), null, null));
                calls.complete(InvocationOutcome.PENDING, null, null);
                return;
            }
            boolean done = calls.invocation().operations().stream()
                    .allMatch(op -> op.status() == OperationStatus.SUCCEEDED);
            calls.complete(done ? InvocationOutcome.SUCCEEDED : InvocationOutcome.PENDING, done ? "\"both\"" : null,
                    null);
        });
    }

    @AfterAll
    static void stop() {
        requests.shutdownNow();
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
    void aRepeatedSucceedAnswersAsTheFirstAndWritesAndWakesNothing() {
        String a = callbackId();
        String b = callbackId();
        String id = api.start("pair", "{\"input\":{\"a\":\"" + a + "\",\"b\":\"" + b + "\"}}");
        api.awaitIdleWith(id, "2", "STARTED");

        Http.Response first = api.post("/v1/callbacks/" + a + "/succeed", "{\"a\":1,\"b\":[1,{\"x\":null}]}");
        assertThat(first.status()).isEqualTo(200);
        awaitInvocationsDone(id, 2);
        Map<String, Object> before = api.snapshot(id);

        Http.Response again = api.post("/v1/callbacks/" + a + "/succeed", "{ \"b\" : [1, {\"x\":null}], \"a\" : 1 }");

        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(api.snapshot(id)).isEqualTo(before);
        assertThat(api.events(id, "CallbackSucceeded")).hasSize(1);
        assertThat(worker.received(id)).hasSize(2);

        assertConflict(api.post("/v1/callbacks/" + a + "/succeed", "{\"a\":2,\"b\":[1,{\"x\":null}]}"));
        assertConflict(api.post("/v1/callbacks/" + a + "/succeed", "null"));
        assertConflict(api.post("/v1/callbacks/" + a + "/fail", "{\"type\":\"x.Y\"}"));
        assertConflict(api.post("/v1/callbacks/" + a + "/heartbeat", "{}"));
        assertThat(api.snapshot(id)).isEqualTo(before);

        assertThat(api.post("/v1/callbacks/" + b + "/succeed", "2").status()).isEqualTo(200);
        api.awaitStatus(id, "SUCCEEDED");
        Map<String, Object> closed = api.snapshot(id);
        // the execution has closed since: the repeat still answers what the completion answered
        assertThat(api.post("/v1/callbacks/" + a + "/succeed", "{\"b\":[1,{\"x\":null}],\"a\":1}").status())
                .isEqualTo(200);
        assertThat(api.post("/v1/callbacks/" + b + "/succeed", "2").status()).isEqualTo(200);
        assertThat(api.snapshot(id)).isEqualTo(closed);
    }

    @Test
    void aRepeatedFailAnswersAsTheFirstAndADifferentErrorIsAConflict() {
        String cb = callbackId();
        String id = api.start("callbacker", "{\"input\":{\"cb\":\"" + cb + "\",\"timeout\":3000}}");
        api.awaitIdleWith(id, "1", "STARTED");

        assertThat(api.post("/v1/callbacks/" + cb + "/fail",
                "{\"type\":\"com.acme.Rejected\",\"message\":\"no\",\"data\":{\"k\":[1,2],\"j\":\"v\"}}").status())
                .isEqualTo(200);
        api.awaitStatus(id, "FAILED");
        Map<String, Object> before = api.snapshot(id);

        Http.Response again = api.post("/v1/callbacks/" + cb + "/fail",
                "{\"data\":{\"j\":\"v\",\"k\":[1,2]},\"message\":\"no\",\"type\":\"com.acme.Rejected\"}");

        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().isEmpty()).isTrue();
        assertConflict(api.post("/v1/callbacks/" + cb + "/fail",
                "{\"type\":\"com.acme.Rejected\",\"message\":\"no\",\"data\":{\"k\":[2,1],\"j\":\"v\"}}"));
        assertConflict(api.post("/v1/callbacks/" + cb + "/fail", "{\"type\":\"com.acme.Rejected\",\"message\":\"no\"}"));
        assertConflict(api.post("/v1/callbacks/" + cb + "/fail",
                "{\"type\":\"com.acme.Other\",\"message\":\"no\",\"data\":{\"k\":[1,2],\"j\":\"v\"}}"));
        assertConflict(api.post("/v1/callbacks/" + cb + "/succeed", "{\"k\":[1,2],\"j\":\"v\"}"));
        assertThat(api.snapshot(id)).isEqualTo(before);
        assertThat(api.events(id, "CallbackFailed")).hasSize(1);
    }

    @Test
    void aRepeatedSucceedWithoutAResultAnswersAsTheFirst() {
        String cb = callbackId();
        String id = api.start("callbacker", "{\"input\":{\"cb\":\"" + cb + "\"}}");
        api.awaitIdleWith(id, "1", "STARTED");
        assertThat(api.post("/v1/callbacks/" + cb + "/succeed", "null").status()).isEqualTo(200);
        api.awaitStatus(id, "SUCCEEDED");
        Map<String, Object> before = api.snapshot(id);

        assertThat(api.post("/v1/callbacks/" + cb + "/succeed", "null").status()).isEqualTo(200);
        assertThat(api.http().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(api.url("/v1/callbacks/" + cb + "/succeed")))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(200);
        assertConflict(api.post("/v1/callbacks/" + cb + "/succeed", "{}"));
        assertThat(api.snapshot(id)).isEqualTo(before);
    }

    @Test
    void theSameSucceedSentTwiceAtOnceIsRecordedOnceAndBothAreAnsweredSuccess() throws Exception {
        String cb = callbackId();
        String id = api.start("callbacker", "{\"input\":{\"cb\":\"" + cb + "\",\"timeout\":3000}}");
        api.awaitIdleWith(id, "1", "STARTED");
        Future<Http.Response> second;
        try (OpenTransaction first = OpenTransaction.begin(db.dataSource())) {
            serviceOn(first.jdbc()).succeed(cb, "{\"ok\":true,\"n\":[1]}");
            second = requests.submit(() -> api.post("/v1/callbacks/" + cb + "/succeed", "{\"n\":[1],\"ok\":true}"));
            first.awaitBlocking("exec_locked");
            first.commit();
        }

        Http.Response answer = second.get(20, TimeUnit.SECONDS);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(api.awaitStatus(id, "SUCCEEDED").get("result").get("ok").asBoolean()).isTrue();
        assertThat(api.events(id, "CallbackSucceeded")).hasSize(1);
        assertThat(api.timerKinds(id)).isEmpty();
    }

    @Test
    void aSucceedThatWaitsForTheTimeoutFiringIsAConflictAndTheTimeoutIsTheOneOutcome() throws Exception {
        completionLosesToATimerFiring(600, null, Duration.ofSeconds(601), "TIMEOUT");
    }

    @Test
    void aSucceedThatWaitsForTheHeartbeatTimeoutFiringIsAConflictAndTheTimeoutIsTheOneOutcome() throws Exception {
        completionLosesToATimerFiring(3000, 60L, Duration.ofSeconds(61), "HEARTBEAT_TIMEOUT");
    }

    @Test
    void aTimerFiringThatWaitsForACompletionFindsTheCallbackClosedAndRecordsNothing() throws Exception {
        String cb = callbackId();
        String id = api.start("callbacker", "{\"input\":{\"cb\":\"" + cb + "\",\"timeout\":600}}");
        api.awaitIdleWith(id, "1", "STARTED");
        Future<FiredTimers> firing;
        try (OpenTransaction completion = OpenTransaction.begin(db.dataSource());
                OpenTransaction poller = OpenTransaction.begin(db.dataSource())) {
            // a poller has claimed the timeout timer when the completion comes: the completion leaves that row to it
            poller.jdbc().sql("select 1 from timers where execution_id = ?::uuid for update").param(id)
                    .query(Integer.class).list();
            serviceOn(completion.jdbc()).succeed(cb, "{\"ok\":true}");
            poller.rollback();
            // the firing claims the timer and then waits for the execution row that the completion holds
            firing = requests.submit(() -> Ledgers.on(api.sql()).fireTimers(clock.instant().plusSeconds(601), 100));
            completion.awaitBlocking("fired");
            clock.advance(Duration.ofSeconds(601));
            completion.commit();
        }

        assertThat(firing.get(20, TimeUnit.SECONDS).callbacksTimedOut()).isZero();
        assertThat(api.awaitStatus(id, "SUCCEEDED").get("result").get("ok").asBoolean()).isTrue();
        assertThat(api.status(id, "1")).isEqualTo("SUCCEEDED");
        assertThat(api.events(id, "CallbackSucceeded")).hasSize(1);
        assertThat(api.events(id, "CallbackTimedOut")).isEmpty();
        assertThat(api.timerKinds(id)).isEmpty();
    }

    @Test
    void aTimerFiringWhileACompletionHoldsTheCallbackSkipsItsTimers() {
        String cb = callbackId();
        String id = api.start("callbacker", "{\"input\":{\"cb\":\"" + cb + "\",\"timeout\":600,\"heartbeat\":60}}");
        api.awaitIdleWith(id, "1", "STARTED");
        try (OpenTransaction completion = OpenTransaction.begin(db.dataSource())) {
            serviceOn(completion.jdbc()).succeed(cb, "{\"ok\":true}");

            Ledgers.on(api.sql()).fireTimers(clock.instant().plusSeconds(601), 100);

            assertThat(api.timerKinds(id)).containsExactly("CALLBACK_HEARTBEAT", "CALLBACK_TIMEOUT");
            completion.commit();
        }

        assertThat(api.awaitStatus(id, "SUCCEEDED").get("result").get("ok").asBoolean()).isTrue();
        assertThat(api.events(id, "CallbackSucceeded")).hasSize(1);
        assertThat(api.events(id, "CallbackTimedOut")).isEmpty();
        assertThat(api.timerKinds(id)).isEmpty();
    }

    @Test
    void aHeartbeatSentTwiceLeavesOneHeartbeatTimerDueAfterTheLaterOne() {
        String cb = callbackId();
        String id = api.start("callbacker", "{\"input\":{\"cb\":\"" + cb + "\",\"timeout\":3000,\"heartbeat\":60}}");
        api.awaitIdleWith(id, "1", "STARTED");
        long events = api.history(id).size();

        clock.advance(Duration.ofSeconds(10));
        assertThat(api.post("/v1/callbacks/" + cb + "/heartbeat", "{}").status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(10));
        Instant secondSent = clock.instant().truncatedTo(ChronoUnit.MICROS);
        assertThat(api.post("/v1/callbacks/" + cb + "/heartbeat", "{}").status()).isEqualTo(200);
        Instant secondAnswered = clock.instant();

        assertThat(api.sql().sql("select due_at from timers where execution_id = ?::uuid"
                + " and kind = 'CALLBACK_HEARTBEAT'").param(id).query(Timestamp.class).list())
                .singleElement().extracting(Timestamp::toInstant)
                .satisfies(due -> assertThat(due).isBetween(secondSent.plusSeconds(60), secondAnswered.plusSeconds(60)));
        assertThat(api.timerKinds(id)).containsExactly("CALLBACK_HEARTBEAT", "CALLBACK_TIMEOUT");
        assertThat(api.history(id)).hasSize((int) events);
        assertThat(api.status(id, "1")).isEqualTo("STARTED");
        assertThat(api.post("/v1/callbacks/" + cb + "/succeed", "1").status()).isEqualTo(200);
        api.awaitStatus(id, "SUCCEEDED");
    }

    @Test
    void aHeartbeatWhileAPollerHasClaimedTheCallbacksDueTimerIsAConflictAndTheCallbackTimesOut() {
        String cb = callbackId();
        String id = api.start("callbacker", "{\"input\":{\"cb\":\"" + cb + "\",\"timeout\":3000,\"heartbeat\":60}}");
        api.awaitIdleWith(id, "1", "STARTED");
        Map<String, Object> before;
        Http.Response beat;
        try (OpenTransaction poller = OpenTransaction.begin(db.dataSource())) {
            // a poller's claim of the heartbeat timer, caught before it reaches the execution row
            poller.jdbc().sql("select 1 from timers where execution_id = ?::uuid and kind = 'CALLBACK_HEARTBEAT'"
                    + " for update").param(id).query(Integer.class).list();
            clock.advance(Duration.ofSeconds(61));
            before = api.snapshot(id);

            beat = api.post("/v1/callbacks/" + cb + "/heartbeat", "{}");

            assertThat(api.snapshot(id)).isEqualTo(before);
            poller.rollback();
        }

        assertConflict(beat);
        assertThat(api.awaitStatus(id, "SUCCEEDED").get("result").asString()).isEqualTo("timed out");
        assertThat(api.events(id, "CallbackTimedOut")).singleElement()
                .satisfies(e -> assertThat(e.get("details").get("reason").asString()).isEqualTo("HEARTBEAT_TIMEOUT"));
    }

    @Test
    void aHeartbeatThatWaitsForItsTimerFiringIsAConflict() throws Exception {
        String cb = callbackId();
        String id = api.start("callbacker", "{\"input\":{\"cb\":\"" + cb + "\",\"timeout\":3000,\"heartbeat\":60}}");
        api.awaitIdleWith(id, "1", "STARTED");
        Future<Http.Response> beat;
        try (OpenTransaction poller = OpenTransaction.begin(db.dataSource())) {
            Ledgers.on(poller.jdbc()).fireTimers(clock.instant().plusSeconds(61), 100);
            clock.advance(Duration.ofSeconds(61));
            beat = requests.submit(() -> api.post("/v1/callbacks/" + cb + "/heartbeat", "{}"));
            poller.awaitBlocking("exec_locked");
            poller.commit();
        }

        assertConflict(beat.get(20, TimeUnit.SECONDS));
        assertThat(api.awaitStatus(id, "SUCCEEDED").get("result").asString()).isEqualTo("timed out");
        assertThat(api.events(id, "CallbackTimedOut")).hasSize(1);
        assertThat(api.timerKinds(id)).isEmpty();
    }

    private static void completionLosesToATimerFiring(int timeout, Long heartbeat, Duration after, String reason)
            throws Exception {
        String cb = callbackId();
        String id = api.start("callbacker", "{\"input\":{\"cb\":\"" + cb + "\",\"timeout\":" + timeout
                + (heartbeat == null ? "" : ",\"heartbeat\":" + heartbeat) + "}}");
        api.awaitIdleWith(id, "1", "STARTED");
        Future<Http.Response> completion;
        try (OpenTransaction poller = OpenTransaction.begin(db.dataSource())) {
            Ledgers.on(poller.jdbc()).fireTimers(clock.instant().plus(after), 100);
            // the timer is claimed: this replica's own poller skips it from now on
            clock.advance(after);
            completion = requests.submit(() -> api.post("/v1/callbacks/" + cb + "/succeed", "{\"ok\":true}"));
            poller.awaitBlocking("exec_locked");
            poller.commit();
        }

        assertConflict(completion.get(20, TimeUnit.SECONDS));
        assertThat(api.awaitStatus(id, "SUCCEEDED").get("result").asString()).isEqualTo("timed out");
        assertThat(api.status(id, "1")).isEqualTo("TIMED_OUT");
        assertThat(api.events(id, "CallbackTimedOut")).singleElement()
                .satisfies(e -> assertThat(e.get("details").get("reason").asString()).isEqualTo(reason));
        assertThat(api.events(id, "CallbackSucceeded")).isEmpty();
        assertThat(api.timerKinds(id)).isEmpty();
        assertConflict(api.post("/v1/callbacks/" + cb + "/succeed", "{\"ok\":true}"));
    }

    /** The service a request uses, writing through {@code jdbc} (a transaction the test holds open). */
    private static CallbackService serviceOn(JdbcClient jdbc) {
        ApplicationContext context = orchestrator.context();
        return new CallbackService(Ledgers.on(jdbc), context.getBean(PayloadJson.class),
                context.getBean(Wakeups.class), clock, context.getBean(OrchestratorProperties.class),
                context.getBean(CairnMetrics.class));
    }

    /** Waits until the worker has answered {@code count} invocations and nothing wakes the execution. */
    private static void awaitInvocationsDone(String id, int count) {
        await().atMost(Api.PATIENCE).until(() -> worker.received(id).size() == count && api.idle(id)
                && api.sql().sql("select ready_at is null from executions where execution_id = ?::uuid").param(id)
                        .query(Boolean.class).single());
    }

    private static void assertConflict(Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(409);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }


}
