package dev.cairn.orchestrator.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.orchestrator.commit.Outcome;
import dev.cairn.orchestrator.ledger.CheckpointPlan;
import dev.cairn.orchestrator.ledger.CheckpointStore;
import dev.cairn.orchestrator.ledger.Completion;
import dev.cairn.orchestrator.ledger.EventRow;
import dev.cairn.orchestrator.ledger.Ledger;
import dev.cairn.orchestrator.ledger.StopResult;
import dev.cairn.orchestrator.support.ExecutionRows;
import dev.cairn.orchestrator.support.HeldTransaction;
import dev.cairn.orchestrator.support.Ledgers;
import dev.cairn.orchestrator.support.LockWaits;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.testing.TestDatabase;
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
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;

/**
 * A stop of a parent against its chained child's completion written in a combined statement with another one
 * ({@code LEAN_COMPLETIONS}), the child's completion held at its first lock while the stop waits: the completions
 * must take the parent's row before the child's, as the stop does. The completions' connections wait a minute before
 * looking for a deadlock, so that if there is one the stop is the transaction PostgreSQL aborts (a batch that is
 * aborted is written again and would hide it).
 */
class CombinedCompletionStopIT {

    private static TestDatabase db;
    private static DataSource dataSource;
    private static JdbcClient sql;
    private static ExecutionRows rows;
    private static Ledger stops;
    private static CheckpointStore checkpoints;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(CombinedCompletionStopIT.class);
        dataSource = db.dataSource();
        sql = JdbcClient.create(dataSource);
        rows = new ExecutionRows(sql);
        stops = Ledgers.on(dataSource);
        PGSimpleDataSource patient = new PGSimpleDataSource();
        patient.setUrl(db.jdbcUrl());
        patient.setUser(db.user());
        patient.setPassword(db.password());
        patient.setOptions("-c deadlock_timeout=60s");
        checkpoints = new CheckpointStore(patient, new SQLExceptionSubclassTranslator(), 1, 64);
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aStopAndAChildsCompletionWrittenWithAnotherBothSucceed() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID parent = rows.idle("parent", null);
        ExecutionRows.Invoked child = rows.invokedChild(parent, "1", "child");
        rows.operation(parent, "1", "CHAINED_INVOKE", "STARTED", null, child.executionId());
        ExecutionRows.Invoked other = rows.invoked("other");
        CheckpointPlan nothing = new CheckpointPlan(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                false);
        Completion succeeded = new Completion(InvocationOutcome.SUCCEEDED, "\"done\"", null,
                new EventRow("ExecutionSucceeded", null, null, null), null, now);
        List<CheckpointStore.Write> writes = List.of(
                checkpoints.completionWrite(child.executionId(), child.token(), nothing, succeeded, now),
                checkpoints.completionWrite(other.executionId(), other.token(), nothing, succeeded, now));

        CompletableFuture<StopResult> stopped;
        CompletableFuture<List<Outcome<CheckpointStore.Written>>> completed;
        try (HeldTransaction parentHeld = HeldTransaction.begin(dataSource)
                .run("select 1 from executions where execution_id = ? for update", parent)) {
            long before = LockWaits.waiting(sql);
            stopped = CompletableFuture.supplyAsync(() -> stops.stop(parent, null, now).orElseThrow());
            LockWaits.awaitWaiting(sql, (int) before + 1);
            completed = CompletableFuture.supplyAsync(() -> checkpoints.writeAll(writes));
            LockWaits.awaitWaiting(sql, (int) before + 2);
        }

        assertThat(stopped.get(30, TimeUnit.SECONDS).stoppedWorkflows()).containsExactlyInAnyOrder("parent", "child");
        List<Outcome<CheckpointStore.Written>> outcomes = completed.get(90, TimeUnit.SECONDS);
        assertThat(outcomes).noneMatch(Outcome::failed);
        assertThat(outcomes.get(0).result()).as("the child's completion, fenced by the stop").isNull();
        assertThat(outcomes.get(1).result()).as("the other completion").isNotNull();
        assertThat(rows.status(parent)).isEqualTo("STOPPED");
        assertThat(rows.status(child.executionId())).isEqualTo("STOPPED");
        assertThat(rows.status(other.executionId())).isEqualTo("SUCCEEDED");
        assertThat(rows.operationStatus(parent, "1")).isEqualTo("STOPPED");
    }
}
