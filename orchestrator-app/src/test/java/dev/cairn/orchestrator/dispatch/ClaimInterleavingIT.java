package dev.cairn.orchestrator.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.orchestrator.ledger.CheckpointPlan;
import dev.cairn.orchestrator.ledger.CheckpointStore;
import dev.cairn.orchestrator.ledger.ClaimPass;
import dev.cairn.orchestrator.ledger.Completion;
import dev.cairn.orchestrator.ledger.EventRow;
import dev.cairn.orchestrator.ledger.Ledger;
import dev.cairn.orchestrator.support.ExecutionRows;
import dev.cairn.orchestrator.support.HeldTransaction;
import dev.cairn.orchestrator.support.Ledgers;
import dev.cairn.orchestrator.support.LockWaits;
import dev.cairn.orchestrator.support.StatementPause;
import dev.cairn.orchestrator.worker.LiveWorker;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A claim against a wake-up that commits between the claim statement's snapshot and its lock on the execution row
 * (the claim is paused there by {@link StatementPause}): the worker must get the log as the wake-up left it, so that
 * a wake-up is never consumed without the state that caused it.
 */
class ClaimInterleavingIT {

    private static TestDatabase db;
    private static JdbcClient sql;
    private static DataSource pausing;
    private static Ledger claims;
    private static ExecutionRows rows;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(ClaimInterleavingIT.class);
        sql = JdbcClient.create(db.dataSource());
        rows = new ExecutionRows(sql);
        StatementPause.install(sql);
        pausing = StatementPause.dataSource(db);
        claims = Ledgers.on(pausing);
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aWaitThatFiresWhileTheClaimIsUnderWayIsInTheClaimedLog() throws Exception {
        Instant now = now();
        UUID execution = rows.idle("claim-vs-timer", now.minusSeconds(1));
        // two parallel waits: the first has fired (the execution is ready), the second is due
        rows.operation(execution, "1", "WAIT", "SUCCEEDED");
        rows.operation(execution, "2", "WAIT", "STARTED");
        rows.timer(execution, "2", "WAIT", now.minusSeconds(1), "2");

        List<OperationRecord> log = claimWhile("claim-vs-timer", execution, now,
                () -> Ledgers.on(sql).fireTimers(now, 10));

        assertThat(rows.operationStatus(execution, "2")).isEqualTo("SUCCEEDED");
        assertThat(statusOf(log, "2")).as("the claimed log's second wait").isEqualTo("SUCCEEDED");
    }

    @Test
    void aCallbackCompletedWhileTheClaimIsUnderWayIsInTheClaimedLog() throws Exception {
        Instant now = now();
        UUID execution = rows.idle("claim-vs-callback", now.minusSeconds(1));
        String callbackId = "cb-" + execution;
        rows.operation(execution, "1", "WAIT", "SUCCEEDED");
        rows.operation(execution, "2", "CALLBACK", "STARTED", callbackId, null);

        List<OperationRecord> log = claimWhile("claim-vs-callback", execution, now,
                () -> Ledgers.on(sql).succeedCallback(callbackId, "\"approved\"", now));

        assertThat(rows.operationStatus(execution, "2")).isEqualTo("SUCCEEDED");
        assertThat(statusOf(log, "2")).as("the claimed log's callback").isEqualTo("SUCCEEDED");
    }

    @Test
    void aChainedChildClosingWhileTheClaimIsUnderWayIsInTheParentsClaimedLog() throws Exception {
        Instant now = now();
        UUID parent = rows.idle("claim-vs-child", now.minusSeconds(1));
        ExecutionRows.Invoked child = rows.invokedChild(parent, "2", "claim-vs-child-child");
        rows.operation(parent, "1", "WAIT", "SUCCEEDED");
        rows.operation(parent, "2", "CHAINED_INVOKE", "STARTED", null, child.executionId());
        CheckpointStore checkpoints = new CheckpointStore(new JdbcTemplate(db.dataSource()),
                new DefaultListableBeanFactory().getBeanProvider(MeterRegistry.class), 1, 64,
                Duration.ofSeconds(5));
        CheckpointPlan nothing = new CheckpointPlan(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                false);
        Completion succeeded = new Completion(InvocationOutcome.SUCCEEDED, "\"child result\"", null,
                new EventRow("ExecutionSucceeded", null, null, null), null, now);

        List<OperationRecord> log = claimWhile("claim-vs-child", parent, now,
                () -> checkpoints.complete(child.executionId(), child.token(), nothing, succeeded, now));

        assertThat(rows.operationStatus(parent, "2")).isEqualTo("SUCCEEDED");
        assertThat(statusOf(log, "2")).as("the claimed log's chained invoke").isEqualTo("SUCCEEDED");
        assertThat(log.stream().filter(o -> o.id().equals("2")).findFirst().orElseThrow().result())
                .isEqualTo("\"child result\"");
    }

    /**
     * Claims {@code execution} (the only ready one of {@code workflow}) with the claim paused after its snapshot,
     * runs {@code wake} to its commit meanwhile, lets the claim go on and answers the log it claimed.
     */
    private static List<OperationRecord> claimWhile(String workflow, UUID execution, Instant now, Runnable wake)
            throws Exception {
        WorkflowRef ref = new WorkflowRef(workflow, "1");
        LiveWorker worker = new LiveWorker("w-" + workflow, "http://w", 4, 0, List.of(ref));
        CompletableFuture<ClaimPass> claim;
        try (HeldTransaction pause = StatementPause.hold(db.dataSource())) {
            long waitingBefore = LockWaits.waiting(sql);
            claim = CompletableFuture.supplyAsync(() -> claims.claimFor(Map.of(ref, worker.workerId()),
                    Map.of(worker.workerId(), worker.capacity()), now, now.plusSeconds(60), 10));
            LockWaits.awaitWaiting(sql, (int) waitingBefore + 1);
            wake.run();
        }
        ClaimPass dispatch = claim.get(30, TimeUnit.SECONDS);
        assertThat(dispatch.claims()).extracting(a -> a.claim().executionId()).containsExactly(execution);
        assertThat(rows.ready(execution)).isFalse();
        return dispatch.operations().get(execution);
    }

    private static String statusOf(List<OperationRecord> log, String operationId) {
        return log.stream().filter(o -> o.id().equals(operationId)).findFirst().orElseThrow().status().name();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
