package dev.cairn.orchestrator.dispatch;

import static dev.cairn.orchestrator.sql.SqlTypes.at;
import static dev.cairn.orchestrator.sql.SqlTypes.instant;
import static dev.cairn.orchestrator.sql.SqlTypes.textArray;

import dev.cairn.orchestrator.json.PayloadJson;
import dev.cairn.orchestrator.sql.GenericPlans;
import dev.cairn.orchestrator.worker.LiveWorker;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.WorkflowRef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Claims ready executions, records which worker runs them, loads their operation log and releases claims. The
 * dispatcher does all three in one transaction of two statements ({@link #claimFor}): the claim, then the logs, read
 * on a snapshot taken while the claim holds the rows (what a worker reads is what it locked); {@link #claim},
 * {@link #assign} and {@link #operations} are the same steps one by one, the log read after the claim.
 */
@Repository
public class DispatchStore {

    private static final String CLAIM = """
            update executions e
               set invocation_token = gen_random_uuid(), lease_expires_at = :leaseUntil, ready_at = null,
                   worker_id = null, invocation_started_at = :now
              from (select x.execution_id, x.ready_at from executions x
                     where x.status = 'RUNNING' and x.ready_at <= :now and x.lease_expires_at is null
                       and (x.workflow, x.version) in (
                            select w, v from unnest(cast(:workflows as text[]), cast(:versions as text[])) as p(w, v))
                     order by x.ready_at
                     for update skip locked
                     limit :limit) c
             where e.execution_id = c.execution_id
            returning e.execution_id, e.invocation_token, e.workflow, e.version, e.input, e.started_at,
                      c.ready_at as was_ready_at
            """;

    /**
     * One dispatch pass's claim in one statement: the free capacity of the candidate workers (capacity minus the
     * invocations leased to them across all replicas), a claim per workflow version for the worker chosen for it,
     * at most each worker's free capacity in all, recorded with that worker; answered as the claimed rows
     * ({@code c}) and each worker's free capacity after the claim ({@code f}). The claimed executions' logs are read
     * by {@link #CLAIMED_LOGS}, the next statement of the same transaction.
     */
    private static final String CLAIM_FOR_WORKERS = """
            with pairs as (
                select p.w, p.v, p.worker
                  from unnest(cast(:workflows as text[]), cast(:versions as text[]), cast(:pairWorkers as text[]))
                       as p(w, v, worker)
            ), free as (
                select k.worker, k.capacity - coalesce(l.leased, 0) as free
                  from unnest(cast(:workers as text[]), cast(cast(:capacities as text[]) as int[])) as k(worker, capacity)
                  left join (select worker_id, count(*) as leased from executions
                              where lease_expires_at is not null and worker_id = any(cast(:workers as text[]))
                              group by worker_id) l on l.worker_id = k.worker
            ), candidates as (
                select c.execution_id, c.ready_at, p.worker,
                       row_number() over (partition by p.worker order by c.ready_at, c.execution_id) as n
                  from pairs p
                  join free f on f.worker = p.worker and f.free > 0
                 cross join lateral (
                        select x.execution_id, x.ready_at from executions x
                         where x.status = 'RUNNING' and x.ready_at <= :now and x.lease_expires_at is null
                           and x.workflow = p.w and x.version = p.v
                         order by x.ready_at
                         for update skip locked
                         limit least(f.free, :limit)) c
            ), chosen as (
                select c.execution_id, c.ready_at, c.worker
                  from candidates c join free f on f.worker = c.worker
                 where c.n <= f.free
                 order by c.ready_at
                 limit :limit
            ), claimed as (
                update executions e
                   set invocation_token = gen_random_uuid(), lease_expires_at = :leaseUntil, ready_at = null,
                       worker_id = c.worker, invocation_started_at = :now
                  from chosen c
                 where e.execution_id = c.execution_id
                returning e.execution_id, e.invocation_token, e.workflow, e.version, e.input, e.started_at,
                          c.ready_at as was_ready_at, c.worker
            )
            select 'c' as kind, c.execution_id, c.invocation_token, c.workflow, c.version, c.input, c.started_at,
                   c.was_ready_at, c.worker, cast(null as bigint) as free
              from claimed c
            union all
            select 'f', null, null, null, null, null, null, null, f.worker,
                   f.free - (select count(*) from claimed c where c.worker = f.worker)
              from free f
            """;

    /**
     * The operation logs of the executions just claimed, with their {@code start_seq}: run after
     * {@link #CLAIM_FOR_WORKERS} in the same READ COMMITTED transaction, so on a snapshot taken while the claim holds
     * the executions' rows. A claim's own snapshot is older than its locks ({@code skip locked} takes the latest
     * version of a row that a transaction committed after the snapshot); read there, a log could miss what a timer,
     * a callback or a child's close committed for an execution that was already ready, and the claim would consume
     * the wake-up with a log that still shows the operation open. Every such waker updates the execution row in its
     * own transaction, so it is either visible here or it waits for the claim and makes the execution ready again.
     *
     * <p>The rows come in no particular order (a log is typically read by a bitmap scan, in storage order):
     * {@link #claimFor} puts each log in start order, a single pass when it already is. Sorting in the statement
     * ({@code order by execution_id, start_seq}: wide rows) took most of its time for a log of 10,000 operations, and
     * beyond {@code work_mem} it would sort on disk.
     */
    private static final String CLAIMED_LOGS = """
            select o.execution_id, o.start_seq, o.operation_id, o.parent_id, o.type, o.sub_type, o.name, o.status,
                   o.attempt, o.started_at, o.ended_at, o.result, o.error, o.scheduled_end_at, o.next_attempt_at,
                   o.callback_id, o.child_execution_id
              from operations o
             where o.execution_id = any(cast(cast(:ids as text[]) as uuid[]))
            """;

    // column positions in CLAIMED_LOGS
    private static final int EXECUTION_ID = 1;
    private static final int START_SEQ = 2;
    private static final int OPERATION_ID = 3;
    private static final int PARENT_ID = 4;
    private static final int TYPE = 5;
    private static final int SUB_TYPE = 6;
    private static final int NAME = 7;
    private static final int STATUS = 8;
    private static final int ATTEMPT = 9;
    private static final int OP_STARTED_AT = 10;
    private static final int ENDED_AT = 11;
    private static final int RESULT = 12;
    private static final int ERROR = 13;
    private static final int SCHEDULED_END_AT = 14;
    private static final int NEXT_ATTEMPT_AT = 15;
    private static final int CALLBACK_ID = 16;
    private static final int CHILD_EXECUTION_ID = 17;

    private static final String ASSIGN = """
            update executions e set worker_id = a.worker_id
              from unnest(cast(cast(:ids as text[]) as uuid[]), cast(cast(:tokens as text[]) as uuid[]),
                          cast(:workers as text[])) as a(execution_id, token, worker_id)
             where e.execution_id = a.execution_id and e.invocation_token = a.token
            """;

    private static final String OPERATIONS = """
            select execution_id, operation_id, parent_id, type, sub_type, name, status, attempt, started_at, ended_at,
                   result, error, scheduled_end_at, next_attempt_at, callback_id, child_execution_id
              from operations
             where execution_id = any(cast(cast(:ids as text[]) as uuid[]))
             order by execution_id, start_seq
            """;

    private static final String RELEASE = """
            update executions
               set invocation_token = null, lease_expires_at = null, worker_id = null, invocation_started_at = null,
                   ready_at = least(coalesce(ready_at, :readyAt), :readyAt)
             where execution_id = :id and invocation_token = :token and status = 'RUNNING'
            """;

    private final JdbcClient jdbc;
    private final PayloadJson json;
    private final TransactionTemplate transactions;

    public DispatchStore(JdbcClient jdbc, PayloadJson json, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.json = json;
        this.transactions = transactions;
    }

    /**
     * Claims up to {@code limit} ready executions of the given workflow versions, oldest ready first. Read their
     * logs with {@link #operations} afterwards (a later statement sees what committed before the claim's locks).
     */
    public List<Claim> claim(Collection<WorkflowRef> servable, Instant now, Instant leaseUntil, int limit) {
        return jdbc.sql(CLAIM)
                .param("now", at(now))
                .param("leaseUntil", at(leaseUntil))
                .param("workflows", textArray(servable.stream().map(WorkflowRef::name).toList()))
                .param("versions", textArray(servable.stream().map(WorkflowRef::version).toList()))
                .param("limit", limit)
                .query((rs, n) -> new Claim(rs.getObject("execution_id", UUID.class),
                        rs.getObject("invocation_token", UUID.class), rs.getString("workflow"),
                        rs.getString("version"), rs.getString("input"), instant(rs, "started_at"),
                        instant(rs, "was_ready_at")))
                .list();
    }

    /**
     * What one dispatch pass claimed.
     *
     * @param assignments the claimed executions, each with the worker it was claimed for
     * @param operations the operation log of each claimed execution, in start order
     * @param free each candidate worker's free capacity after the claim
     */
    public record Dispatch(List<Assignment> assignments, Map<UUID, List<OperationRecord>> operations,
            Map<String, Integer> free) {
    }

    /**
     * Claims, in one statement, up to {@code limit} ready executions for the given workers: for each workflow
     * version, those of the worker chosen for it in {@code chosen}, at most each worker's free capacity in all
     * (counted in the same statement, across replicas); records the worker; then loads the operation logs in a
     * second statement of the same transaction, as they are once the claim holds the executions' rows.
     *
     * @param chosen the worker chosen for each workflow version (it must serve exactly that version)
     * @param workers the candidate workers, by id
     */
    public Dispatch claimFor(Map<WorkflowRef, LiveWorker> chosen, Map<String, LiveWorker> workers, Instant now,
            Instant leaseUntil, int limit) {
        List<Assignment> assignments = new ArrayList<>();
        Map<UUID, List<OperationRecord>> operations = new HashMap<>();
        Map<String, Integer> free = new HashMap<>();
        if (chosen.isEmpty() || limit <= 0) {
            return new Dispatch(assignments, operations, free);
        }
        List<String> workerIds = new ArrayList<>(workers.keySet());
        Map<UUID, LogRows> logs = new HashMap<>();
        transactions.executeWithoutResult(tx -> claimFor(chosen, workers, workerIds, now, leaseUntil, limit,
                assignments, free, logs));
        logs.forEach((id, rows) -> operations.put(id, rows.inStartOrder()));
        return new Dispatch(assignments, operations, free);
    }

    /**
     * The claim, then the claimed executions' logs ({@link #CLAIMED_LOGS}: a second statement, a snapshot taken
     * after the claim's locks), in a transaction that runs them on their generic plans ({@link GenericPlans}).
     */
    private void claimFor(Map<WorkflowRef, LiveWorker> chosen, Map<String, LiveWorker> workers, List<String> workerIds,
            Instant now, Instant leaseUntil, int limit, List<Assignment> assignments, Map<String, Integer> free,
            Map<UUID, LogRows> logs) {
        jdbc.sql(GenericPlans.FOR_THIS_TRANSACTION).update();
        jdbc.sql(CLAIM_FOR_WORKERS)
                .param("now", at(now))
                .param("leaseUntil", at(leaseUntil))
                .param("workflows", textArray(chosen.keySet().stream().map(WorkflowRef::name).toList()))
                .param("versions", textArray(chosen.keySet().stream().map(WorkflowRef::version).toList()))
                .param("pairWorkers", textArray(chosen.values().stream().map(LiveWorker::workerId).toList()))
                .param("workers", textArray(workerIds))
                .param("capacities", textArray(workerIds.stream()
                        .map(id -> Integer.toString(workers.get(id).capacity())).toList()))
                .param("limit", limit)
                .query(rs -> {
                    switch (rs.getString("kind")) {
                        case "c" -> assignments.add(new Assignment(new Claim(rs.getObject("execution_id", UUID.class),
                                rs.getObject("invocation_token", UUID.class), rs.getString("workflow"),
                                rs.getString("version"), rs.getString("input"), instant(rs, "started_at"),
                                instant(rs, "was_ready_at")), workers.get(rs.getString("worker"))));
                        default -> free.put(rs.getString("worker"), (int) Math.max(0, rs.getLong("free")));
                    }
                });
        if (assignments.isEmpty()) {
            return;
        }
        jdbc.sql(CLAIMED_LOGS)
                .param("ids", textArray(assignments.stream().map(a -> a.claim().executionId().toString()).toList()))
                .query(rs -> {
                    logs.computeIfAbsent(rs.getObject(EXECUTION_ID, UUID.class), k -> new LogRows())
                            .add(rs.getLong(START_SEQ), logRow(rs));
                });
    }

    /** Records the worker of each claimed execution (for capacity counts and {@code InvocationCompleted}). */
    public void assign(List<Assignment> assignments) {
        if (assignments.isEmpty()) {
            return;
        }
        jdbc.sql(ASSIGN)
                .param("ids", textArray(assignments.stream().map(a -> a.claim().executionId().toString()).toList()))
                .param("tokens", textArray(assignments.stream().map(a -> a.claim().token().toString()).toList()))
                .param("workers", textArray(assignments.stream().map(a -> a.worker().workerId()).toList()))
                .update();
    }

    /** The operation logs of the executions, each in start order. */
    public Map<UUID, List<OperationRecord>> operations(Collection<UUID> executionIds) {
        Map<UUID, List<OperationRecord>> byExecution = new HashMap<>();
        if (executionIds.isEmpty()) {
            return byExecution;
        }
        jdbc.sql(OPERATIONS)
                .param("ids", textArray(executionIds.stream().map(UUID::toString).toList()))
                .query(rs -> {
                    UUID id = rs.getObject("execution_id", UUID.class);
                    byExecution.computeIfAbsent(id, k -> new ArrayList<>()).add(operation(rs, "started_at"));
                });
        return byExecution;
    }

    private OperationRecord operation(ResultSet rs, String startedAt) throws SQLException {
        return new OperationRecord(rs.getString("operation_id"), rs.getString("parent_id"),
                OperationType.valueOf(rs.getString("type")), rs.getString("sub_type"), rs.getString("name"),
                OperationStatus.valueOf(rs.getString("status")), (Integer) rs.getObject("attempt"),
                instant(rs, startedAt), instant(rs, "ended_at"), rs.getString("result"),
                json.errorInfo(rs.getString("error")), instant(rs, "scheduled_end_at"),
                instant(rs, "next_attempt_at"), rs.getString("callback_id"), rs.getString("child_execution_id"));
    }

    /** An operation-log row of {@link #CLAIMED_LOGS}, read by column position (10,000s of rows a pass). */
    private OperationRecord logRow(ResultSet rs) throws SQLException {
        String error = rs.getString(ERROR);
        return new OperationRecord(rs.getString(OPERATION_ID), rs.getString(PARENT_ID),
                OperationType.valueOf(rs.getString(TYPE)), rs.getString(SUB_TYPE), rs.getString(NAME),
                OperationStatus.valueOf(rs.getString(STATUS)), (Integer) rs.getObject(ATTEMPT),
                instantAt(rs, OP_STARTED_AT), instantAt(rs, ENDED_AT), rs.getString(RESULT),
                error == null ? null : json.errorInfo(error), instantAt(rs, SCHEDULED_END_AT),
                instantAt(rs, NEXT_ATTEMPT_AT), rs.getString(CALLBACK_ID), rs.getString(CHILD_EXECUTION_ID));
    }

    private static Instant instantAt(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** One execution's log rows as they came, put in start order at the end (sorted only if they were not). */
    private static final class LogRows {

        private final List<OperationRecord> records = new ArrayList<>();
        private long[] seqs = new long[16];
        private boolean ordered = true;

        void add(long seq, OperationRecord record) {
            int n = records.size();
            if (n == seqs.length) {
                seqs = Arrays.copyOf(seqs, n * 2);
            }
            if (n > 0 && seq < seqs[n - 1]) {
                ordered = false;
            }
            seqs[n] = seq;
            records.add(record);
        }

        List<OperationRecord> inStartOrder() {
            if (ordered) {
                return records;
            }
            Integer[] order = new Integer[records.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingLong(i -> seqs[i]));
            List<OperationRecord> sorted = new ArrayList<>(order.length);
            for (Integer i : order) {
                sorted.add(records.get(i));
            }
            return sorted;
        }
    }

    /**
     * Gives a claim up without an invocation having run: the execution is ready again at {@code readyAt}.
     *
     * @return false when the claim was no longer current
     */
    public boolean release(UUID executionId, UUID token, Instant readyAt) {
        return jdbc.sql(RELEASE)
                .param("id", executionId)
                .param("token", token)
                .param("readyAt", at(readyAt))
                .update() > 0;
    }
}
