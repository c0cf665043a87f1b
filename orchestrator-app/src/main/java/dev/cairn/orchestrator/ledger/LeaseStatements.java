package dev.cairn.orchestrator.ledger;

import static dev.cairn.orchestrator.sql.SqlTypes.at;
import static dev.cairn.orchestrator.sql.SqlTypes.text;

import dev.cairn.protocol.ExecutionCause;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The leases of invocations, besides the claim that takes them and the completion that ends them: a worker's
 * heartbeat extends those it lists; an expired one is reaped (the execution is ready again and
 * {@code InvocationCompleted {outcome: LOST}} recorded; the lost worker's token stops working).
 */
final class LeaseStatements {

    static final String REAP = LifecycleSql.fill("""
            with expired as (
                select execution_id, worker_id, invocation_started_at from executions
                 where lease_expires_at < :now and status = ${RUNNING}
                 order by lease_expires_at
                 for update skip locked
                 limit :limit
            ), lost as (
                update executions e
                   set %s, ready_at = coalesce(e.ready_at, :now)
                  from expired x
                 where e.execution_id = x.execution_id
                returning e.execution_id, x.worker_id, x.invocation_started_at, e.workflow
            ), events as (
                %s
                select execution_id, %s, :now,
                       json_build_object('startedAt', %s,
                                         'endedAt', cast(:nowText as text), 'outcome', 'LOST',
                                         'workerId', worker_id)::text
                  from lost
            )
            select coalesce(array_agg(workflow), '{}') as lost from lost
            """.formatted(LeaseSql.RELEASE, HistorySql.INSERT_EXECUTION_EVENTS,
                    LifecycleSql.executionEvent(ExecutionCause.LEASE_EXPIRED),
                    HistorySql.isoText("invocation_started_at")), Map.of("RUNNING", LifecycleSql.RUNNING));

    static final String WORKER_HEARTBEAT = LifecycleSql.fill("""
            with registered as (
                select worker_id from workers where worker_id = :workerId
            ), w as (
                update workers set last_heartbeat_at = :now, in_flight = :inFlight, status = 'LIVE'
                 where worker_id = :workerId
                   and sha256(convert_to(invocation_secret, 'UTF8'))
                       is not distinct from sha256(convert_to(cast(:secret as text), 'UTF8'))
                returning worker_id
            ), listed as (
                -- a row locked by another transaction is skipped, not waited for: that transaction is a checkpoint
                -- (which extends the lease itself), a completion or a reaper (which end it); waiting would let a
                -- heartbeat listing many invocations deadlock with a group commit writing several of them
                select e.execution_id
                  from executions e
                  join unnest(cast(:ids as uuid[]), cast(:tokens as uuid[])) as r(execution_id, token)
                    on e.execution_id = r.execution_id and e.invocation_token = r.token
                 where e.status = ${RUNNING} and exists (select 1 from w)
                   for update of e skip locked
            ), leases as (
                update executions e set lease_expires_at = greatest(e.lease_expires_at, :leaseUntil)
                  from listed l
                 where e.execution_id = l.execution_id
                returning e.execution_id
            )
            select (select count(*) from registered) as known, (select count(*) from w) as owned,
                   (select count(*) from leases) as extended
            """, Map.of("RUNNING", LifecycleSql.RUNNING));

    private final JdbcClient jdbc;

    LeaseStatements(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Reaps up to {@code limit} expired leases; answers the workflow of each execution whose lease was lost. */
    List<String> reap(Instant now, int limit) {
        return jdbc.sql(REAP)
                .param("now", at(now))
                .param("nowText", text(now))
                .param("limit", limit)
                .query((rs, n) -> List.of((String[]) rs.getArray("lost").getArray()))
                .single();
    }

    WorkerHeartbeat.Recorded heartbeat(WorkerHeartbeat beat) {
        return jdbc.sql(WORKER_HEARTBEAT)
                .param("workerId", beat.workerId())
                .param("secret", beat.secret())
                .param("now", at(beat.now()))
                .param("inFlight", beat.inFlight())
                .param("leaseUntil", at(beat.leaseUntil()))
                .param("ids", beat.leases().stream().map(WorkerHeartbeat.Lease::executionId).toArray(String[]::new))
                .param("tokens", beat.leases().stream().map(WorkerHeartbeat.Lease::invocationToken)
                        .toArray(String[]::new))
                .query((rs, n) -> new WorkerHeartbeat.Recorded(rs.getLong("known") > 0, rs.getLong("owned") > 0,
                        rs.getLong("extended")))
                .single();
    }
}
