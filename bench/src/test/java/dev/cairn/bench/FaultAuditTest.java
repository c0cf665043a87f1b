package dev.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fault run's audit on a database written by hand (Cairn's schema, by its migrations): what is correct counts
 * nothing — a step that failed twice and then succeeded, a timer fired once, invocations one after another
 * (including one recorded LOST), a stop that took the whole tree — and each defect counts exactly once.
 */
class FaultAuditTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    private Db db;
    private Connection c;
    private final List<FaultLoad.Tracked> started = new ArrayList<>();

    @BeforeEach
    void createDatabase() throws SQLException {
        String url = System.getenv().getOrDefault("CAIRN_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        db = new Db(url, "postgres", "");
        db.create();
        Flyway.configure().dataSource(db.url, db.user, db.password).load().migrate();
        c = db.connect();
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        c.close();
        db.drop();
    }

    @Test
    void correctHistoryCountsNothing() throws SQLException {
        UUID retried = execution("fault-retry", "SUCCEEDED", null, null, null);
        event(retried, "ExecutionStarted", null, 0, null);
        event(retried, "StepStarted", "1", 1, null);
        event(retried, "StepFailed", "1", 2, null);
        event(retried, "StepStarted", "1", 3, null);
        event(retried, "StepFailed", "1", 4, null);
        event(retried, "StepStarted", "1", 5, null);
        event(retried, "StepSucceeded", "1", 6, null);
        event(retried, "WaitStarted", "2", 7, null);
        event(retried, "WaitSucceeded", "2", 8, null);
        invocation(retried, 0, 3, "LOST");
        invocation(retried, 3, 7, "PENDING"); // starts where the one before ended
        invocation(retried, 9, 12, "SUCCEEDED");
        event(retried, "ExecutionSucceeded", null, 12, null);
        operation(retried, "1", "STEP", "SUCCEEDED");
        operation(retried, "2", "WAIT", "SUCCEEDED");
        acknowledged("a", "fault-retry", retried, false);

        UUID root = execution("fault-chain", "STOPPED", null, null, null);
        operation(root, "3", "CHAINED_INVOKE", "STOPPED");
        UUID child = execution("fault-chain", "STOPPED", null, root, "3");
        operation(child, "3", "CHAINED_INVOKE", "STOPPED");
        UUID grandchild = execution("fault-chain", "STOPPED", null, child, "3");
        for (UUID id : List.of(root, child, grandchild)) {
            event(id, "ExecutionStopped", null, 20, null);
        }
        acknowledged("b", "fault-chain", root, true);

        UUID finishedBeforeItsParentStopped = execution("fault-chain", "SUCCEEDED", null, root, "4");
        operation(root, "4", "CHAINED_INVOKE", "SUCCEEDED");
        event(finishedBeforeItsParentStopped, "ExecutionSucceeded", null, 10, null);

        FaultAudit.Findings f = FaultAudit.run(db, started);

        assertThat(f.counts()).allSatisfy((k, v) -> assertThat(v).as(k).isZero());
        assertThat(f.clean()).isTrue();
    }

    @Test
    void eachDefectCountsOnceUnderItsName() throws SQLException {
        UUID twice = execution("fault-wait", "SUCCEEDED", null, null, null);
        event(twice, "StepSucceeded", "1", 1, null);
        event(twice, "StepSucceeded", "1", 2, null);
        event(twice, "WaitSucceeded", "2", 3, null);
        event(twice, "WaitSucceeded", "2", 4, null);
        invocation(twice, 0, 5, "PENDING");
        invocation(twice, 4, 8, "SUCCEEDED"); // began before the one before ended
        event(twice, "ExecutionSucceeded", null, 8, null);
        acknowledged("a", "fault-wait", twice, false);

        UUID nondeterministic = execution("fault-map", "FAILED",
                "{\"type\":\"dev.cairn.api.NonDeterministicExecutionException\",\"message\":\"op 2\"}", null, null);
        event(nondeterministic, "ExecutionFailed", null, 1, null);
        UUID failed = execution("fault-map", "FAILED",
                "{\"type\":\"dev.cairn.api.StepFailedException\",\"message\":\"out of attempts\"}", null, null);
        event(failed, "ExecutionFailed", null, 1, null);
        UUID stoppedByNobody = execution("fault-map", "STOPPED", null, null, null);
        event(stoppedByNobody, "ExecutionStopped", null, 1, null);

        UUID root = execution("fault-chain", "STOPPED", null, null, null);
        operation(root, "3", "CHAINED_INVOKE", "STOPPED");
        event(root, "ExecutionStopped", null, 1, null);
        UUID leftRunning = execution("fault-chain", "SUCCEEDED", null, root, "3");
        event(leftRunning, "ExecutionSucceeded", null, 9, null);
        acknowledged("b", "fault-chain", root, true);

        UUID stuck = execution("fault-callback", "RUNNING", null, null, null);
        operation(stuck, "2", "CALLBACK", "STARTED");
        event(stuck, "CallbackStarted", "2", 1, null);
        UUID closedTwice = execution("fault-callback", "SUCCEEDED", null, null, null);
        event(closedTwice, "CallbackSucceeded", "2", 1, null);
        event(closedTwice, "CallbackSucceeded", "2", 2, null);
        event(closedTwice, "ExecutionSucceeded", null, 3, null);
        event(closedTwice, "ExecutionSucceeded", null, 4, null);

        acknowledged("c", "fault-retry", UUID.randomUUID(), false); // acknowledged, never stored
        FaultLoad.Tracked refused = new FaultLoad.Tracked("d", "fault-retry", "{}", false);
        refused.refusal = "409 other input";
        started.add(refused);
        started.add(new FaultLoad.Tracked("e", "fault-retry", "{}", false));
        acknowledged("f", "fault-retry", stuck, false).conflict = "answered one id, then another";

        FaultAudit.Findings f = FaultAudit.run(db, started);

        assertThat(f.counts()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("lost", 1L),
                Map.entry("stuck", 1L),
                Map.entry("step_succeeded_twice", 1L),
                Map.entry("wait_succeeded_twice", 1L),
                Map.entry("overlapping_invocations", 1L),
                Map.entry("nondeterministic", 1L),
                Map.entry("unexpected_failures", 2L),
                Map.entry("operation_closed_twice", 1L),
                Map.entry("execution_closed_wrongly", 1L),
                Map.entry("left_running_by_stop", 1L),
                Map.entry("conflicting_answers", 1L),
                Map.entry("refused_starts", 1L),
                Map.entry("unanswered_starts", 1L)));
        assertThat(f.clean()).isFalse();
        assertThat(f.examples().get("stuck").get(0)).startsWith(stuck.toString())
                .contains("2 CALLBACK").contains("CallbackStarted");
        assertThat(f.byWorkflow().get("unexpected_failures")).containsEntry("fault-map", 2L);
    }

    private FaultLoad.Tracked acknowledged(String name, String workflow, UUID id, boolean stopped) {
        FaultLoad.Tracked t = new FaultLoad.Tracked(name, workflow, "{}", stopped);
        t.id = id;
        t.stopRequested = stopped;
        started.add(t);
        return t;
    }

    private UUID execution(String workflow, String status, String error, UUID parent, String parentOperation)
            throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement("""
                insert into executions (execution_id, workflow, version, status, error, started_at, ended_at,
                                        parent_execution_id, parent_operation_id)
                values (?, ?, '1', ?, ?, ?, ?, ?, ?)""")) {
            ps.setObject(1, id);
            ps.setString(2, workflow);
            ps.setString(3, status);
            ps.setString(4, error);
            ps.setTimestamp(5, Timestamp.from(T));
            ps.setTimestamp(6, "RUNNING".equals(status) ? null : Timestamp.from(T.plusSeconds(30)));
            ps.setObject(7, parent);
            ps.setString(8, parentOperation);
            ps.execute();
        }
        return id;
    }

    private void operation(UUID execution, String id, String type, String status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into operations (execution_id, operation_id, type, status, started_at)
                values (?, ?, ?, ?, ?)""")) {
            ps.setObject(1, execution);
            ps.setString(2, id);
            ps.setString(3, type);
            ps.setString(4, status);
            ps.setTimestamp(5, Timestamp.from(T));
            ps.execute();
        }
    }

    private void event(UUID execution, String type, String operation, int second, String details)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into history_events (execution_id, type, occurred_at, operation_id, details)
                values (?, ?, ?, ?, ?)""")) {
            ps.setObject(1, execution);
            ps.setString(2, type);
            ps.setTimestamp(3, Timestamp.from(T.plusSeconds(second)));
            ps.setString(4, operation);
            ps.setString(5, details);
            ps.execute();
        }
    }

    private void invocation(UUID execution, int from, int to, String outcome) throws SQLException {
        event(execution, "InvocationCompleted", null, to, """
                {"startedAt":"%s","endedAt":"%s","outcome":"%s","workerId":"w1-g1"}"""
                .formatted(T.plusSeconds(from), T.plusSeconds(to), outcome));
    }
}
