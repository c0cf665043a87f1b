package dev.cairn.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.orchestrator.checkpoint.CheckpointPlanner;
import dev.cairn.orchestrator.ledger.CheckpointPlan;
import dev.cairn.orchestrator.ledger.CheckpointStore;
import dev.cairn.orchestrator.ledger.ChildStart;
import dev.cairn.orchestrator.ledger.Completion;
import dev.cairn.orchestrator.ledger.EventRow;
import dev.cairn.orchestrator.ledger.FiredTimers;
import dev.cairn.orchestrator.ledger.Ledger;
import dev.cairn.orchestrator.ledger.OperationRow;
import dev.cairn.orchestrator.ledger.StopResult;
import dev.cairn.orchestrator.support.ExecutionRows;
import dev.cairn.orchestrator.support.HeldTransaction;
import dev.cairn.orchestrator.support.Ledgers;
import dev.cairn.orchestrator.support.LockWaits;
import dev.cairn.orchestrator.support.StatementPause;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
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
 * A stop interleaved with what a chained child does at the same moment: a checkpoint that starts a grandchild, the
 * child's completion, the child's execution timeout. Each is held at a chosen point while the other runs; the stop
 * must reach every descendant, and no pair may deadlock (one lock order: an execution before its children).
 */
class StopInterleavingIT {

    private static TestDatabase db;
    private static DataSource dataSource;
    private static JdbcClient sql;
    private static ExecutionRows rows;
    private static Ledger stops;
    private static CheckpointStore checkpoints;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(StopInterleavingIT.class);
        dataSource = db.dataSource();
        sql = JdbcClient.create(dataSource);
        rows = new ExecutionRows(sql);
        StatementPause.installAtChainedStart(sql);
        stops = Ledgers.on(dataSource);
        checkpoints = new CheckpointStore(new JdbcTemplate(dataSource),
                new DefaultListableBeanFactory().getBeanProvider(MeterRegistry.class), 1, 64,
                Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aStopReachesAGrandchildThatAChildsCheckpointStartsWhileTheStopWaits() throws Exception {
        Instant now = now();
        UUID parent = rows.idle("parent", null);
        ExecutionRows.Invoked child = rows.invokedChild(parent, "1", "child");
        rows.operation(parent, "1", "CHAINED_INVOKE", "STARTED", null, child.executionId());
        UUID grandchild = CheckpointPlanner.childId(child.executionId(), "1");
        CheckpointPlan startGrandchild = new CheckpointPlan(
                List.of(new OperationRow("1", null, "CHAINED_INVOKE", "ChainedInvoke", "invoke", "STARTED", null, null,
                        null, null, null, null, null, null, grandchild.toString())),
                List.of(new EventRow("ChainedInvokeStarted", "1", "invoke", null)), List.of(), List.of(), List.of(),
                List.of(new ChildStart(grandchild, "grandchild", "1", "{}", null, "1")), false);

        CompletableFuture<CheckpointStore.Written> checkpoint;
        CompletableFuture<StopResult> stopped;
        try (HeldTransaction pause = StatementPause.hold(dataSource)) {
            long before = LockWaits.waiting(sql);
            // the checkpoint has written everything (the grandchild too) and holds the child's row, uncommitted
            checkpoint = CompletableFuture.supplyAsync(() -> checkpoints.checkpoint(child.executionId(), child.token(),
                    startGrandchild, now, now.plusSeconds(60)));
            LockWaits.awaitWaiting(sql, (int) before + 1);
            stopped = CompletableFuture.supplyAsync(() -> stops.stop(parent, null, now).orElseThrow());
            LockWaits.awaitWaiting(sql, (int) before + 2);
        }

        assertThat(checkpoint.get(30, TimeUnit.SECONDS)).isNotNull();
        assertThat(stopped.get(30, TimeUnit.SECONDS).stoppedWorkflows())
                .containsExactlyInAnyOrder("parent", "child", "grandchild");
        assertThat(rows.status(parent)).isEqualTo("STOPPED");
        assertThat(rows.status(child.executionId())).isEqualTo("STOPPED");
        assertThat(rows.status(grandchild)).as("the grandchild").isEqualTo("STOPPED");
        assertThat(rows.operationStatus(child.executionId(), "1")).isEqualTo("STOPPED");
        assertThat(rows.historyTypes(grandchild)).containsExactly("ExecutionStarted", "ExecutionStopped");
        assertThat(rows.timerKinds(grandchild)).isEmpty();
    }

    @Test
    void aStopAndTheChildsCompletionAtTheSameMomentBothSucceed() throws Exception {
        Instant now = now();
        UUID parent = rows.idle("parent", null);
        ExecutionRows.Invoked child = rows.invokedChild(parent, "1", "child");
        rows.operation(parent, "1", "CHAINED_INVOKE", "STARTED", null, child.executionId());
        CheckpointPlan nothing = new CheckpointPlan(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                false);
        Completion succeeded = new Completion(InvocationOutcome.SUCCEEDED, "\"done\"", null,
                new EventRow("ExecutionSucceeded", null, null, null), null, now);

        CompletableFuture<StopResult> stopped;
        CompletableFuture<CheckpointStore.Written> completed;
        // the parent's row is held, so that the stop waits for it first and the completion then meets the stop
        try (HeldTransaction parentHeld = HeldTransaction.begin(dataSource)
                .run("select 1 from executions where execution_id = ? for update", parent)) {
            long before = LockWaits.waiting(sql);
            stopped = CompletableFuture.supplyAsync(() -> stops.stop(parent, null, now).orElseThrow());
            LockWaits.awaitWaiting(sql, (int) before + 1);
            completed = CompletableFuture.supplyAsync(() -> checkpoints.complete(child.executionId(), child.token(),
                    nothing, succeeded, now));
            LockWaits.awaitWaiting(sql, (int) before + 2);
        }

        assertThat(stopped.get(30, TimeUnit.SECONDS).stoppedWorkflows()).containsExactlyInAnyOrder("parent", "child");
        assertThat(completed.get(30, TimeUnit.SECONDS)).as("the completion, fenced by the stop").isNull();
        assertThat(rows.status(parent)).isEqualTo("STOPPED");
        assertThat(rows.status(child.executionId())).isEqualTo("STOPPED");
        assertThat(rows.operationStatus(parent, "1")).isEqualTo("STOPPED");
        assertThat(rows.historyTypes(child.executionId())).containsExactly("ExecutionStopped");
    }

    @Test
    void aStopAndTheChildsExecutionTimeoutAtTheSameMomentBothSucceed() throws Exception {
        Instant now = now();
        UUID parent = rows.idle("parent", null);
        ExecutionRows.Invoked child = rows.invokedChild(parent, "1", "child");
        rows.operation(parent, "1", "CHAINED_INVOKE", "STARTED", null, child.executionId());
        rows.timer(child.executionId(), "execution-timeout", "EXECUTION_TIMEOUT", now.minusSeconds(1), null);

        CompletableFuture<StopResult> stopped;
        CompletableFuture<FiredTimers> fired;
        try (HeldTransaction parentHeld = HeldTransaction.begin(dataSource)
                .run("select 1 from executions where execution_id = ? for update", parent)) {
            long before = LockWaits.waiting(sql);
            stopped = CompletableFuture.supplyAsync(() -> stops.stop(parent, null, now).orElseThrow());
            LockWaits.awaitWaiting(sql, (int) before + 1);
            fired = CompletableFuture.supplyAsync(() -> stops.fireTimers(now, 10));
            LockWaits.awaitWaiting(sql, (int) before + 2);
        }

        assertThat(stopped.get(30, TimeUnit.SECONDS).stoppedWorkflows()).containsExactlyInAnyOrder("parent", "child");
        assertThat(fired.get(30, TimeUnit.SECONDS).timedOut()).as("executions timed out").isZero();
        assertThat(rows.status(parent)).isEqualTo("STOPPED");
        assertThat(rows.status(child.executionId())).isEqualTo("STOPPED");
        assertThat(rows.operationStatus(parent, "1")).isEqualTo("STOPPED");
        assertThat(rows.historyTypes(child.executionId())).containsExactly("ExecutionStopped");
        assertThat(rows.timerKinds(child.executionId())).isEmpty();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
