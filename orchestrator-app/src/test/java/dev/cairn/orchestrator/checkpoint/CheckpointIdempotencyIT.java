package dev.cairn.orchestrator.checkpoint;

import static dev.cairn.orchestrator.support.Updates.callbackStart;
import static dev.cairn.orchestrator.support.Updates.conditionContinue;
import static dev.cairn.orchestrator.support.Updates.contextCancel;
import static dev.cairn.orchestrator.support.Updates.contextStart;
import static dev.cairn.orchestrator.support.Updates.inContext;
import static dev.cairn.orchestrator.support.Updates.stepRetry;
import static dev.cairn.orchestrator.support.Updates.stepStart;
import static dev.cairn.orchestrator.support.Updates.stepSucceed;
import static dev.cairn.orchestrator.support.Updates.waitStart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.orchestrator.ledger.OperationProgress;
import dev.cairn.orchestrator.support.Http;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.InvocationBatch;
import dev.cairn.protocol.InvocationBatchResponse;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationUpdate;
import dev.cairn.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every checkpoint, completion and invocation batch is idempotent: a request whose answer was lost comes again with
 * the same, still valid token (a read timeout, a reset connection, the HTTP client's own resend). Sent twice — or
 * sent again after a timer or a callback moved its operation on — it leaves what sending it once leaves: an
 * operation only moves forward, no second history event, no timer armed again. Written through the worker's real
 * HTTP endpoints against real PostgreSQL; timers fire through the real poller, on a test clock moved forward.
 */
class CheckpointIdempotencyIT {

    private static final MutableClock clock = new MutableClock();
    private static final Http http = new Http();
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private static final ExecutorService background = Executors.newCachedThreadPool();

    private static TestDatabase db;
    private static RunningOrchestrator orchestrator;
    private static JdbcClient sql;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(CheckpointIdempotencyIT.class);
        sql = JdbcClient.create(db.dataSource());
        orchestrator = RunningOrchestrator.start(db, clock);
    }

    @AfterAll
    static void stop() {
        background.shutdownNow();
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aCheckpointSentTwiceLeavesWhatSendingItOnceLeaves() {
        Instant now = clock.instant();
        Running full = running("idem-checkpoint");
        CheckpointRequest everyKind = checkpoint(full,
                stepStart("1", "charge", 1), stepSucceed("1", "charge", 1, "\"charged\""),
                waitStart("2", "cool off", now.plus(Duration.ofDays(1))),
                callbackStart("3", null, "approval", callbackId(), Duration.ofDays(2), Duration.ofDays(1)),
                stepStart("4", "flaky", 1), stepRetry("4", "flaky", 1, "boom", now.plus(Duration.ofDays(1))),
                contextStart("5", null, "RunInChildContext", "child"),
                conditionContinue("6", "poll", 1, "{\"n\":1}", now.plus(Duration.ofDays(1))));
        Running lean = running("idem-lean-checkpoint");
        CheckpointRequest steps = checkpoint(lean, stepStart("1", "a", 1), stepSucceed("1", "a", 1, "1"),
                stepStart("2", "b", 1));

        for (CheckpointRequest request : List.of(everyKind, steps)) {
            assertThat(send(request)).as("first").isEqualTo(200);
            Map<String, Object> once = snapshot(request);
            clock.advance(Duration.ofSeconds(1));

            assertThat(send(request)).as("again").isEqualTo(200);

            assertThat(snapshot(request)).isEqualTo(once);
        }
    }

    @Test
    void aCompletionSentTwiceIsAnsweredAsSentOnceAndWritesNothingMore() {
        Instant now = clock.instant();
        Running suspending = running("idem-suspend");
        CompletionRequest suspend = completion(suspending, InvocationOutcome.PENDING, null,
                waitStart("1", "nap", now.plus(Duration.ofDays(1))));
        Running succeeding = running("idem-succeed");
        CompletionRequest succeed = completion(succeeding, InvocationOutcome.SUCCEEDED, "\"done\"",
                stepStart("1", "last", 1), stepSucceed("1", "last", 1, "2"));
        Running cancelling = running("idem-cancel");
        CompletionRequest cancel = completion(cancelling, InvocationOutcome.PENDING, null,
                contextStart("1", null, "Parallel", "branches"),
                inContext(stepStart("1-1", "inside", 1), "1"),
                contextCancel("1", null, "Parallel", "branches"),
                waitStart("2", "later", now.plus(Duration.ofDays(1))));

        for (CompletionRequest request : List.of(suspend, succeed, cancel)) {
            assertThat(send(request)).as("first").isEqualTo(200);
            Map<String, Object> once = snapshot(request.executionId());
            clock.advance(Duration.ofSeconds(1));

            assertThat(send(request)).as("again, for " + request.outcome()).isEqualTo(200);

            assertThat(snapshot(request.executionId())).isEqualTo(once);
        }
        // a checkpoint after the invocation ended is still fenced, and so is another completion with its token
        Map<String, Object> closed = snapshot(succeed.executionId());
        assertThat(send(checkpoint(suspending, stepStart("2", "late", 1)))).isEqualTo(409);
        assertThat(send(completion(succeeding, InvocationOutcome.SUCCEEDED, "\"other\""))).isEqualTo(409);
        assertThat(send(completion(succeeding, InvocationOutcome.PENDING, null))).isEqualTo(409);
        assertThat(operations(suspending.id)).containsExactly("1:STARTED:-");
        assertThat(snapshot(succeed.executionId())).isEqualTo(closed);
    }

    @Test
    void aCompletionWithAnotherInvocationsTokenIsStillFenced() {
        Running e = running("idem-stale");
        CompletionRequest stale = new CompletionRequest(e.id.toString(), UUID.randomUUID().toString(),
                InvocationOutcome.SUCCEEDED, "\"stale\"", null, List.of(), null, null);
        Map<String, Object> before = snapshot(e.id.toString());

        assertThat(send(stale)).isEqualTo(409);

        assertThat(snapshot(e.id.toString())).isEqualTo(before);
    }

    @Test
    void anInvocationBatchSentTwiceLeavesWhatSendingItOnceLeaves() {
        Instant now = clock.instant();
        Running a = running("idem-batch-a");
        Running b = running("idem-batch-b");
        Running c = running("idem-batch-c");
        Running d = running("idem-batch-d");
        Running e = running("idem-batch-e");
        InvocationBatch batch = new InvocationBatch(List.of(
                InvocationBatch.Item.of(checkpoint(a, stepStart("1", "a", 1), stepSucceed("1", "a", 1, "1"))),
                InvocationBatch.Item.of(checkpoint(b, stepSucceed("1", "b", 1, "2"))),
                InvocationBatch.Item.of(checkpoint(c, waitStart("1", "c", now.plus(Duration.ofDays(1))))),
                InvocationBatch.Item.of(completion(d, InvocationOutcome.PENDING, null,
                        callbackStart("1", null, "d", callbackId(), Duration.ofDays(1), null))),
                InvocationBatch.Item.of(completion(e, InvocationOutcome.SUCCEEDED, "\"e\"",
                        stepStart("1", "e", 1), stepSucceed("1", "e", 1, "3")))));
        List<String> ids = List.of(a, b, c, d, e).stream().map(r -> r.id.toString()).toList();

        assertThat(batch(batch)).containsOnly(200);
        Map<String, Map<String, Object>> once = snapshots(ids);
        clock.advance(Duration.ofSeconds(1));

        assertThat(batch(batch)).containsOnly(200);

        assertThat(snapshots(ids)).isEqualTo(once);
    }

    @Test
    void aWaitStartSentAgainAfterItsTimerFiredLeavesItSucceededWithNoTimer() {
        Running e = running("idem-wait");
        CheckpointRequest start = checkpoint(e, waitStart("1", "nap", clock.instant().plus(Duration.ofHours(1))));
        assertThat(send(start)).isEqualTo(200);
        clock.advance(Duration.ofHours(2));
        awaitOperation(e, "1", "SUCCEEDED");
        Map<String, Object> fired = snapshot(start);

        assertThat(send(start)).isEqualTo(200);

        assertThat(snapshot(start)).isEqualTo(fired);
        assertThat(operations(e.id)).containsExactly("1:SUCCEEDED:-");
        assertThat(timers(e.id)).isEmpty();
        assertThat(history(e.id)).containsExactly("WaitStarted", "WaitSucceeded");
    }

    /**
     * The resend's statement takes its snapshot while the timer's transaction is still open, then waits for its
     * locks: what it decides must follow the row as the timer left it, not its snapshot.
     */
    @Test
    void aWaitStartSentAgainWhileItsTimerFiresLeavesItSucceeded() throws Exception {
        Running e = running("idem-wait-race");
        CheckpointRequest start = checkpoint(e, waitStart("1", "nap", clock.instant().plus(Duration.ofHours(1))));
        assertThat(send(start)).isEqualTo(200);
        Future<Integer> resend;
        try (Connection timer = db.dataSource().getConnection()) {
            timer.setAutoCommit(false);
            fireAsTheTimerStatementDoes(timer, e.id, "1");
            resend = background.submit(() -> send(start));
            await().atMost(PATIENCE).until(() -> waitingForALock() > 0);
            timer.commit();
        }

        assertThat(resend.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(operations(e.id)).containsExactly("1:SUCCEEDED:-");
        assertThat(timers(e.id)).isEmpty();
        assertThat(history(e.id)).containsExactly("WaitStarted", "WaitSucceeded");
    }

    /** What the ledger's timer statement writes when a WAIT timer fires, in its order, left uncommitted. */
    private static void fireAsTheTimerStatementDoes(Connection c, UUID executionId, String operationId)
            throws SQLException {
        for (String statement : List.of(
                "delete from timers where execution_id = ? and timer_id = ?",
                "update executions set ready_at = coalesce(ready_at, now()) where execution_id = ? and ? is not null",
                "update operations set status = 'SUCCEEDED', ended_at = now() where execution_id = ? "
                        + "and operation_id = ? and status = 'STARTED'",
                "insert into history_events (execution_id, type, occurred_at, operation_id) "
                        + "values (?, 'WaitSucceeded', now(), ?)")) {
            try (PreparedStatement ps = c.prepareStatement(statement)) {
                ps.setObject(1, executionId);
                ps.setString(2, operationId);
                assertThat(ps.executeUpdate()).as(statement).isEqualTo(1);
            }
        }
    }

    private static long waitingForALock() {
        return sql.sql("select count(*) from pg_stat_activity where datname = current_database() "
                + "and wait_event_type = 'Lock'").query(Long.class).single();
    }

    @Test
    void aStepRetrySentAgainAfterItsTimerMadeItReadyLeavesItReadyAndTheNextAttemptStillRuns() {
        Running e = running("idem-retry");
        CheckpointRequest retry = checkpoint(e, stepStart("1", "flaky", 1),
                stepRetry("1", "flaky", 1, "boom", clock.instant().plus(Duration.ofHours(1))));
        assertThat(send(retry)).isEqualTo(200);
        clock.advance(Duration.ofHours(2));
        awaitOperation(e, "1", "READY");
        Map<String, Object> ready = snapshot(retry);

        assertThat(send(retry)).isEqualTo(200);

        assertThat(snapshot(retry)).isEqualTo(ready);
        assertThat(timers(e.id)).isEmpty();
        // the next attempt moves it forward again
        assertThat(send(checkpoint(e, stepStart("1", "flaky", 2)))).isEqualTo(200);
        assertThat(operations(e.id)).containsExactly("1:STARTED:2");
        assertThat(send(checkpoint(e, stepSucceed("1", "flaky", 2, "\"ok\"")))).isEqualTo(200);
        assertThat(operations(e.id)).containsExactly("1:SUCCEEDED:2");
        assertThat(history(e.id)).containsExactly("StepStarted", "StepFailed", "StepStarted", "StepSucceeded");
    }

    @Test
    void aConditionPollSentAgainAfterItsTimerMadeItReadyLeavesItReadyAndTheNextPollStillRuns() {
        Running e = running("idem-poll");
        CheckpointRequest poll = checkpoint(e,
                conditionContinue("1", "poll", 1, "{\"n\":1}", clock.instant().plus(Duration.ofHours(1))));
        assertThat(send(poll)).isEqualTo(200);
        clock.advance(Duration.ofHours(2));
        awaitOperation(e, "1", "READY");
        Map<String, Object> ready = snapshot(poll);

        assertThat(send(poll)).isEqualTo(200);

        assertThat(snapshot(poll)).isEqualTo(ready);
        assertThat(send(checkpoint(e, conditionContinue("1", "poll", 2, "{\"n\":2}",
                clock.instant().plus(Duration.ofHours(1)))))).isEqualTo(200);
        assertThat(operations(e.id)).containsExactly("1:PENDING:2");
        assertThat(timers(e.id)).containsExactly("1:RETRY");
    }

    @Test
    void aCallbackStartSentAgainAfterTheCallbackCompletedArmsNoTimer() {
        Running e = running("idem-callback-done");
        String cb = callbackId();
        CheckpointRequest start = checkpoint(e, callbackStart("1", null, "approval", cb, Duration.ofDays(1),
                Duration.ofHours(1)));
        assertThat(send(start)).isEqualTo(200);
        Http.Response succeeded = http.post(orchestrator.url("/v1/callbacks/" + cb + "/succeed"), "\"approved\"");
        assertThat(succeeded.status()).as(succeeded.body()).isEqualTo(200);
        Map<String, Object> completed = snapshot(start);

        assertThat(send(start)).isEqualTo(200);

        assertThat(snapshot(start)).isEqualTo(completed);
        assertThat(timers(e.id)).isEmpty();
        assertThat(history(e.id)).containsExactly("CallbackStarted", "CallbackSucceeded");
    }

    @Test
    void aCallbackStartSentAgainWhileTheCallbackWaitsLeavesItsTimersAsArmed() {
        Running e = running("idem-callback-open");
        CheckpointRequest start = checkpoint(e, callbackStart("1", null, "approval", callbackId(),
                Duration.ofDays(1), Duration.ofHours(1)));
        assertThat(send(start)).isEqualTo(200);
        Map<String, Object> armed = snapshot(start);
        clock.advance(Duration.ofMinutes(10));

        assertThat(send(start)).isEqualTo(200);

        assertThat(snapshot(start)).isEqualTo(armed);
        assertThat(timers(e.id)).containsExactly("1#heartbeat:CALLBACK_HEARTBEAT", "1#timeout:CALLBACK_TIMEOUT");
    }

    @Test
    void aStepSucceedSentAgainRecordsOneStepSucceeded() {
        Running e = running("idem-succeed-step");
        assertThat(send(checkpoint(e, stepStart("1", "at most once", 1)))).isEqualTo(200);
        CheckpointRequest succeed = checkpoint(e, stepSucceed("1", "at most once", 1, "\"paid\""));
        assertThat(send(succeed)).isEqualTo(200);

        assertThat(send(succeed)).isEqualTo(200);
        assertThat(send(checkpoint(e, stepStart("1", "at most once", 1),
                stepSucceed("1", "at most once", 1, "\"paid\"")))).isEqualTo(200);

        assertThat(operations(e.id)).containsExactly("1:SUCCEEDED:1");
        assertThat(history(e.id)).containsExactly("StepStarted", "StepSucceeded");
    }

    /** The order the upsert's SQL applies is the one {@link OperationStatus#movesTo} defines. */
    @Test
    void theUpsertMovesAnOperationExactlyWhenItsLifecycleGoesForward() {
        for (OperationStatus stored : OperationStatus.values()) {
            for (OperationStatus next : OperationStatus.values()) {
                for (int storedAttempt = 1; storedAttempt <= 2; storedAttempt++) {
                    for (int nextAttempt = 1; nextAttempt <= 2; nextAttempt++) {
                        boolean expected = !stored.isClosed() && (nextAttempt > storedAttempt
                                || nextAttempt == storedAttempt && stage(next) > stage(stored));
                        String move = "%s a%d → %s a%d".formatted(stored, storedAttempt, next, nextAttempt);
                        assertThat(stored.movesTo(next, storedAttempt, nextAttempt)).as(move).isEqualTo(expected);
                        assertThat(movesInSql(stored, storedAttempt, next, nextAttempt)).as(move)
                                .isEqualTo(expected);
                    }
                }
            }
        }
    }

    /** STARTED < PENDING < READY < closed: the order this test expects, written out independently. */
    private static int stage(OperationStatus status) {
        return switch (status) {
            case STARTED -> 0;
            case PENDING -> 1;
            case READY -> 2;
            default -> 3;
        };
    }

    private static boolean movesInSql(OperationStatus stored, int storedAttempt, OperationStatus next,
            int nextAttempt) {
        return sql.sql("select " + OperationProgress.movesForward("s", "n") + " from (select cast(? as text) as status,"
                + " cast(? as int) as attempt) s, (select cast(? as text) as status, cast(? as int) as attempt) n")
                .params(stored.name(), storedAttempt, next.name(), nextAttempt).query(Boolean.class).single();
    }

    private record Running(UUID id, UUID token) {
    }

    /** An execution with an invocation running: a token, and a lease that outlives every move of the clock here. */
    private static Running running(String workflow) {
        Running e = new Running(UUID.randomUUID(), UUID.randomUUID());
        sql.sql("""
                insert into executions (execution_id, workflow, version, status, started_at, invocation_token,
                                        lease_expires_at, invocation_started_at, worker_id)
                values (?, ?, '1', 'RUNNING', now(), ?, now() + interval '30 days', now(), 'idem-worker')
                """).params(e.id, workflow, e.token).update();
        return e;
    }

    private static String callbackId() {
        return "cb-" + UUID.randomUUID();
    }

    private static CheckpointRequest checkpoint(Running e, OperationUpdate... updates) {
        return new CheckpointRequest(e.id.toString(), e.token.toString(), List.of(updates));
    }

    private static CompletionRequest completion(Running e, InvocationOutcome outcome, String result,
            OperationUpdate... updates) {
        Instant now = clock.instant();
        return new CompletionRequest(e.id.toString(), e.token.toString(), outcome, result, null, List.of(updates),
                now, now);
    }

    private static int send(CheckpointRequest request) {
        return http.post(orchestrator.url("/v1/invocations/checkpoints"), request).status();
    }

    private static int send(CompletionRequest request) {
        return http.post(orchestrator.url("/v1/invocations/complete"), request).status();
    }

    private static List<Integer> batch(InvocationBatch batch) {
        Http.Response r = http.post(orchestrator.url("/v1/invocations/batch"), batch);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return Http.JSON.readValue(r.body(), InvocationBatchResponse.class).results().stream()
                .map(InvocationBatchResponse.Result::status).toList();
    }

    private static void awaitOperation(Running e, String operationId, String status) {
        await().atMost(PATIENCE).until(() -> sql.sql("select status from operations where execution_id = ? "
                + "and operation_id = ?").params(e.id, operationId).query(String.class).optional().orElse("-")
                .equals(status));
    }

    private static List<String> operations(UUID id) {
        return sql.sql("select operation_id || ':' || status || ':' || coalesce(attempt::text, '-') from operations "
                + "where execution_id = ? order by operation_id").param(id).query(String.class).list();
    }

    private static List<String> history(UUID id) {
        return sql.sql("select type from history_events where execution_id = ? order by event_id").param(id)
                .query(String.class).list();
    }

    private static List<String> timers(UUID id) {
        return sql.sql("select timer_id || ':' || kind from timers where execution_id = ? order by timer_id")
                .param(id).query(String.class).list();
    }

    private static Map<String, Object> snapshot(CheckpointRequest request) {
        return snapshot(request.executionId());
    }

    private static Map<String, Map<String, Object>> snapshots(List<String> ids) {
        Map<String, Map<String, Object>> all = new TreeMap<>();
        for (String id : ids) {
            all.put(id, snapshot(id));
        }
        return all;
    }

    /** Every row a checkpoint or completion of the execution may write, with every column it may change. */
    private static Map<String, Object> snapshot(String executionId) {
        UUID id = UUID.fromString(executionId);
        Map<String, Object> s = new TreeMap<>();
        s.put("execution", sql.sql("""
                select concat_ws(' | ', status, result, error, ended_at, ready_at, invocation_token, lease_expires_at,
                                 worker_id, invocation_started_at)
                  from executions where execution_id = ?""").param(id).query(String.class).single());
        s.put("operations", sql.sql("""
                select concat_ws(' | ', operation_id, parent_id, type, sub_type, name, status, attempt, started_at,
                                 ended_at, result, error, scheduled_end_at, next_attempt_at, callback_id,
                                 heartbeat_timeout, child_execution_id)
                  from operations where execution_id = ? order by operation_id""").param(id).query(String.class)
                .list());
        s.put("history", sql.sql("""
                select concat_ws(' | ', event_id, type, occurred_at, operation_id, name, details)
                  from history_events where execution_id = ? order by event_id""").param(id).query(String.class)
                .list());
        s.put("timers", sql.sql("""
                select concat_ws(' | ', timer_id, kind, due_at, operation_id)
                  from timers where execution_id = ? order by timer_id""").param(id).query(String.class).list());
        List<String> children = new ArrayList<>(sql.sql("select execution_id::text from executions "
                + "where parent_execution_id = ? order by execution_id").param(id).query(String.class).list());
        s.put("children", children);
        return s;
    }
}
