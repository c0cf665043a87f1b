package dev.cairn.orchestrator.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.ErrorInfo;
import dev.cairn.orchestrator.ledger.ClaimPass;
import dev.cairn.orchestrator.ledger.Ledger;
import dev.cairn.orchestrator.support.Ledgers;
import dev.cairn.orchestrator.worker.LiveWorker;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.TestDatabase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The dispatcher's one-statement pass: claim per workflow version for the chosen worker, within each worker's free
 * capacity counted from the leases, with the worker recorded and the operation logs returned.
 */
class ClaimForWorkersIT {

    private static final WorkflowRef A = new WorkflowRef("a", "1");
    private static final WorkflowRef B = new WorkflowRef("b", "1");
    private static TestDatabase db;
    private static JdbcClient sql;
    private static Ledger store;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(ClaimForWorkersIT.class);
        javax.sql.DataSource dataSource = db.dataSource();
        sql = JdbcClient.create(dataSource);
        store = Ledgers.on(dataSource);
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void claimsForTheChosenWorkersWithinTheirFreeCapacityAndLoadsTheLogs() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        LiveWorker w1 = new LiveWorker("w1", "http://w1", 2, 0, List.of(A, B));
        LiveWorker w2 = new LiveWorker("w2", "http://w2", 3, 0, List.of(A, B));
        // w1 already runs one invocation
        insert(UUID.randomUUID(), "a", null, "w1", now.minusSeconds(5));
        List<UUID> as = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            as.add(insert(UUID.randomUUID(), "a", now.minusSeconds(10 - i), null, null));
        }
        List<UUID> bs = List.of(insert(UUID.randomUUID(), "b", now.minusSeconds(3), null, null),
                insert(UUID.randomUUID(), "b", now.minusSeconds(2), null, null));
        sql.sql("""
                insert into operations (execution_id, operation_id, type, sub_type, name, status, attempt, started_at,
                                        result)
                values (:id, '1', 'STEP', 'Step', 'first', 'SUCCEEDED', 1, now(), '"r1"'),
                       (:id, '2', 'STEP', 'Step', 'second', 'STARTED', 1, now(), null)
                """).param("id", as.get(0)).update();
        Map<String, LiveWorker> workers = new LinkedHashMap<>();
        workers.put("w1", w1);
        workers.put("w2", w2);
        Map<WorkflowRef, LiveWorker> chosen = new LinkedHashMap<>();
        chosen.put(A, w1);
        chosen.put(B, w2);

        ClaimPass first = claimFor(chosen, workers, now, now.plusSeconds(30), 100);

        assertThat(first.claims()).extracting(a -> a.claim().executionId() + "@" + a.workerId())
                .containsExactlyInAnyOrder(as.get(0) + "@w1", bs.get(0) + "@w2", bs.get(1) + "@w2");
        assertThat(first.free()).containsEntry("w1", 0).containsEntry("w2", 1);
        assertThat(first.operations().get(as.get(0))).extracting(OperationRecord::id).containsExactly("1", "2");
        assertThat(first.operations().get(as.get(0)).get(0).result()).isEqualTo("\"r1\"");
        for (ClaimPass.WorkerClaim a : first.claims()) {
            assertThat(sql.sql("select worker_id from executions where execution_id = :id and invocation_token = :t"
                    + " and ready_at is null and lease_expires_at is not null")
                    .param("id", a.claim().executionId()).param("t", a.claim().token())
                    .query(String.class).single()).isEqualTo(a.workerId());
        }

        chosen.put(A, w2);
        ClaimPass second = claimFor(chosen, workers, now, now.plusSeconds(30), 100);

        assertThat(second.claims()).extracting(a -> a.claim().executionId() + "@" + a.workerId())
                .containsExactly(as.get(1) + "@w2");
        assertThat(second.free()).containsEntry("w1", 0).containsEntry("w2", 0);

        ClaimPass none = claimFor(chosen, workers, now, now.plusSeconds(30), 100);
        assertThat(none.claims()).isEmpty();
    }

    @Test
    void returnsEachLogInStartOrderWhateverOrderTheRowsAreStoredIn() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        WorkflowRef c = new WorkflowRef("c", "1");
        LiveWorker w = new LiveWorker("w3", "http://w3", 5, 0, List.of(c));
        UUID first = insert(UUID.randomUUID(), "c", now.minusSeconds(2), null, null);
        UUID second = insert(UUID.randomUUID(), "c", now.minusSeconds(1), null, null);
        sql.sql("""
                insert into operations (execution_id, operation_id, type, sub_type, name, status, attempt, started_at,
                                        ended_at, result, error, start_seq)
                values (:first, '3', 'STEP', 'Step', 'third', 'SUCCEEDED', 1, now(), now(), '3', null, 900000003),
                       (:second, '1', 'WAIT', 'Wait', 'only', 'STARTED', null, now(), null, null, null, 900000001),
                       (:first, '1', 'STEP', 'Step', 'first', 'FAILED', 2, now(), now(), null,
                        '{"type":"x.Boom","message":"boom","data":{"code":7}}', 900000001),
                       (:first, '2', 'STEP', 'Step', 'second', 'SUCCEEDED', 1, now(), now(), '2', null, 900000002)
                """).param("first", first).param("second", second).update();
        // the first row moves to the end of the table
        sql.sql("update operations set result = '33' where execution_id = :first and operation_id = '3'")
                .param("first", first).update();

        ClaimPass dispatch = claimFor(Map.of(c, w), Map.of("w3", w), now, now.plusSeconds(30), 10);

        assertThat(dispatch.claims()).extracting(a -> a.claim().executionId())
                .containsExactlyInAnyOrder(first, second);
        assertThat(dispatch.operations().get(first)).extracting(OperationRecord::id).containsExactly("1", "2", "3");
        assertThat(dispatch.operations().get(first).get(0).error()).isEqualTo(
                new ErrorInfo("x.Boom", "boom", "{\"code\":7}"));
        assertThat(dispatch.operations().get(first).get(2).result()).isEqualTo("33");
        assertThat(dispatch.operations().get(second)).extracting(OperationRecord::name).containsExactly("only");
    }

    /** A dispatch pass as the dispatcher runs it for these workers. */
    private static ClaimPass claimFor(Map<WorkflowRef, LiveWorker> chosen, Map<String, LiveWorker> workers,
            Instant now, Instant leaseUntil, int limit) {
        Map<WorkflowRef, String> chosenIds = new LinkedHashMap<>();
        chosen.forEach((ref, worker) -> chosenIds.put(ref, worker.workerId()));
        Map<String, Integer> capacities = new LinkedHashMap<>();
        workers.forEach((id, worker) -> capacities.put(id, worker.capacity()));
        return store.claimFor(chosenIds, capacities, now, leaseUntil, limit);
    }

    private static UUID insert(UUID id, String workflow, Instant readyAt, String worker, Instant leasedSince) {
        sql.sql("""
                insert into executions (execution_id, workflow, version, status, input, started_at, ready_at,
                                        invocation_token, lease_expires_at, worker_id)
                values (:id, :workflow, '1', 'RUNNING', '{}', now(), :readyAt, :token, :lease, :worker)
                """)
                .param("id", id).param("workflow", workflow)
                .param("readyAt", readyAt == null ? null : readyAt.atOffset(java.time.ZoneOffset.UTC))
                .param("token", worker == null ? null : UUID.randomUUID())
                .param("lease", leasedSince == null ? null : leasedSince.plusSeconds(60).atOffset(java.time.ZoneOffset.UTC))
                .param("worker", worker)
                .update();
        return id;
    }
}
