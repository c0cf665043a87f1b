package dev.cairn.orchestrator.ledger;

import static dev.cairn.orchestrator.sql.SqlTypes.at;
import static dev.cairn.orchestrator.sql.SqlTypes.instant;
import static dev.cairn.orchestrator.sql.SqlTypes.textArray;

import dev.cairn.orchestrator.ledger.ClaimPass.WorkerClaim;
import dev.cairn.orchestrator.ledger.OperationLogs.LogRows;
import dev.cairn.orchestrator.sql.GenericPlans;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.WorkflowRef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Claims ready executions, records which worker runs them, loads their operation log and releases claims. The
 * dispatcher does all three in one transaction of two statements ({@link #claimFor}): the claim, then the logs, read
 * on a snapshot taken while the claim holds the rows (what a worker reads is what it locked); {@link #claim},
 * {@link #assign} and {@link #operations} are the same steps one by one, the log read after the claim.
 */
final class ClaimStatements {

    static final String CLAIM = LifecycleSql.fill("""
            update executions e
               set invocation_token = gen_random_uuid(), lease_expires_at = :leaseUntil, ready_at = null,
                   worker_id = null, invocation_started_at = :now
              from (select x.execution_id, x.ready_at from executions x
                     where x.status = ${RUNNING} and x.ready_at <= :now and x.lease_expires_at is null
                       and (x.workflow, x.version) in (
                            select w, v from unnest(cast(:workflows as text[]), cast(:versions as text[])) as p(w, v))
                     order by x.ready_at
                     for update skip locked
                     limit :limit) c
             where e.execution_id = c.execution_id
            returning e.execution_id, e.invocation_token, e.workflow, e.version, e.input, e.started_at,
                      c.ready_at as was_ready_at
            """, Map.of("RUNNING", LifecycleSql.RUNNING));

    /**
     * One dispatch pass's claim in one statement: the free capacity of the candidate workers (capacity minus the
     * invocations leased to them across all replicas), a claim per workflow version for the worker chosen for it,
     * at most each worker's free capacity in all, recorded with that worker; answered as the claimed rows
     * ({@code c}) and each worker's free capacity after the claim ({@code f}). The claimed executions' logs are read
     * by {@link #CLAIMED_LOGS}, the next statement of the same transaction.
     */
    static final String CLAIM_FOR_WORKERS = LifecycleSql.fill("""
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
                         where x.status = ${RUNNING} and x.ready_at <= :now and x.lease_expires_at is null
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
            """, Map.of("RUNNING", LifecycleSql.RUNNING));

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
    static final String CLAIMED_LOGS = """
            select %s
              from operations o
             where o.execution_id = any(cast(cast(:ids as text[]) as uuid[]))
            """.formatted(OperationLogs.LOG_COLUMNS);

    static final String ASSIGN = """
            update executions e set worker_id = a.worker_id
              from unnest(cast(cast(:ids as text[]) as uuid[]), cast(cast(:tokens as text[]) as uuid[]),
                          cast(:workers as text[])) as a(execution_id, token, worker_id)
             where e.execution_id = a.execution_id and e.invocation_token = a.token
            """;

    static final String OPERATIONS = """
            select execution_id, operation_id, parent_id, type, sub_type, name, status, attempt, started_at, ended_at,
                   result, error, scheduled_end_at, next_attempt_at, callback_id, child_execution_id
              from operations
             where execution_id = any(cast(cast(:ids as text[]) as uuid[]))
             order by execution_id, start_seq
            """;

    static final String RELEASE = LifecycleSql.fill("""
            update executions
               set %s,
                   ready_at = least(coalesce(ready_at, :readyAt), :readyAt)
             where execution_id = :id and invocation_token = :token and status = ${RUNNING}
            """.formatted(LeaseSql.RELEASE), Map.of("RUNNING", LifecycleSql.RUNNING));

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final OperationLogs logs;

    ClaimStatements(JdbcClient jdbc, TransactionTemplate transactions, OperationLogs logs) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.logs = logs;
    }

    List<Claim> claim(Collection<WorkflowRef> servable, Instant now, Instant leaseUntil, int limit) {
        return jdbc.sql(CLAIM)
                .param("now", at(now))
                .param("leaseUntil", at(leaseUntil))
                .param("workflows", textArray(servable.stream().map(WorkflowRef::name).toList()))
                .param("versions", textArray(servable.stream().map(WorkflowRef::version).toList()))
                .param("limit", limit)
                .query((rs, n) -> claim(rs))
                .list();
    }

    ClaimPass claimFor(Map<WorkflowRef, String> chosen, Map<String, Integer> capacities, Instant now,
            Instant leaseUntil, int limit) {
        List<WorkerClaim> claims = new ArrayList<>();
        Map<UUID, List<OperationRecord>> operations = new HashMap<>();
        Map<String, Integer> free = new HashMap<>();
        if (chosen.isEmpty() || limit <= 0) {
            return new ClaimPass(claims, operations, free);
        }
        Map<UUID, LogRows> rows = new HashMap<>();
        transactions.executeWithoutResult(tx -> {
            claimFor(chosen, capacities, now, leaseUntil, limit, claims, free);
            if (!claims.isEmpty()) {
                claimedLogs(claims, rows);
            }
        });
        rows.forEach((id, log) -> operations.put(id, log.inStartOrder()));
        return new ClaimPass(claims, operations, free);
    }

    /** The claim, in a transaction that runs its statements on their generic plans ({@link GenericPlans}). */
    private void claimFor(Map<WorkflowRef, String> chosen, Map<String, Integer> capacities, Instant now,
            Instant leaseUntil, int limit, List<WorkerClaim> claims, Map<String, Integer> free) {
        List<String> workerIds = new ArrayList<>(capacities.keySet());
        jdbc.sql(GenericPlans.FOR_THIS_TRANSACTION).update();
        jdbc.sql(CLAIM_FOR_WORKERS)
                .param("now", at(now))
                .param("leaseUntil", at(leaseUntil))
                .param("workflows", textArray(chosen.keySet().stream().map(WorkflowRef::name).toList()))
                .param("versions", textArray(chosen.keySet().stream().map(WorkflowRef::version).toList()))
                .param("pairWorkers", textArray(List.copyOf(chosen.values())))
                .param("workers", textArray(workerIds))
                .param("capacities", textArray(workerIds.stream()
                        .map(id -> Integer.toString(capacities.get(id))).toList()))
                .param("limit", limit)
                .query(rs -> {
                    switch (rs.getString("kind")) {
                        case "c" -> claims.add(new WorkerClaim(claim(rs), rs.getString("worker")));
                        default -> free.put(rs.getString("worker"), (int) Math.max(0, rs.getLong("free")));
                    }
                });
    }

    /** The claimed executions' logs ({@link #CLAIMED_LOGS}: a second statement, a snapshot after the claim's locks). */
    private void claimedLogs(List<WorkerClaim> claims, Map<UUID, LogRows> rows) {
        jdbc.sql(CLAIMED_LOGS)
                .param("ids", textArray(claims.stream().map(c -> c.claim().executionId().toString()).toList()))
                .query(rs -> {
                    rows.computeIfAbsent(rs.getObject(OperationLogs.EXECUTION_ID, UUID.class), k -> new LogRows())
                            .add(rs.getLong(OperationLogs.START_SEQ), logs.logRow(rs));
                });
    }

    void assign(List<WorkerClaim> claims) {
        if (claims.isEmpty()) {
            return;
        }
        jdbc.sql(ASSIGN)
                .param("ids", textArray(claims.stream().map(c -> c.claim().executionId().toString()).toList()))
                .param("tokens", textArray(claims.stream().map(c -> c.claim().token().toString()).toList()))
                .param("workers", textArray(claims.stream().map(WorkerClaim::workerId).toList()))
                .update();
    }

    Map<UUID, List<OperationRecord>> operations(Collection<UUID> executionIds) {
        Map<UUID, List<OperationRecord>> byExecution = new HashMap<>();
        if (executionIds.isEmpty()) {
            return byExecution;
        }
        jdbc.sql(OPERATIONS)
                .param("ids", textArray(executionIds.stream().map(UUID::toString).toList()))
                .query(rs -> {
                    UUID id = rs.getObject("execution_id", UUID.class);
                    byExecution.computeIfAbsent(id, k -> new ArrayList<>()).add(logs.operation(rs));
                });
        return byExecution;
    }

    boolean release(UUID executionId, UUID token, Instant readyAt) {
        return jdbc.sql(RELEASE)
                .param("id", executionId)
                .param("token", token)
                .param("readyAt", at(readyAt))
                .update() > 0;
    }

    private static Claim claim(ResultSet rs) throws SQLException {
        return new Claim(rs.getObject("execution_id", UUID.class), rs.getObject("invocation_token", UUID.class),
                rs.getString("workflow"), rs.getString("version"), rs.getString("input"), instant(rs, "started_at"),
                instant(rs, "was_ready_at"));
    }
}
