package dev.cairn.orchestrator.ledger;

import static dev.cairn.orchestrator.sql.SqlTypes.at;

import dev.cairn.protocol.ExecutionCause;
import dev.cairn.protocol.TimerKind;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Starts executions: the execution (RUNNING), its {@code ExecutionStarted} event and its {@code EXECUTION_TIMEOUT}
 * timer in one statement. The execution is either ready at once, for the dispatcher to claim, or, when the start
 * names a worker ({@link StartClaim}) that has room and no other execution of its workflow version is waiting,
 * claimed for that worker in the same statement: leased, with a fresh token, as a claim would leave it, so its first
 * invocation goes out without a claim's transaction. A name already taken in the workflow inserts nothing. (A chained
 * child is started by its parent's checkpoint, in that statement.)
 *
 * <p>Two starts (or a start and a claim of another replica) that count the same worker's leases at once may both
 * take its last place; the worker then refuses one invocation, whose claim is released, as when two replicas' claims
 * meet.
 */
final class ExecutionStatements {

    static final String START = LifecycleSql.fill("""
            with room as materialized (
                select cast(:worker as text) is not null
                       and (select count(*) from executions l
                             where l.lease_expires_at is not null and l.worker_id = cast(:worker as text))
                           < cast(:capacity as int)
                       and not exists (select 1 from executions r
                                        where r.status = ${RUNNING} and r.workflow = cast(:workflow as text)
                                          and r.version = cast(:version as text)
                                          and r.ready_at <= cast(:now as timestamptz)
                                          and r.lease_expires_at is null) as claimed
            ), ins as (
                insert into executions (execution_id, workflow, version, execution_name, status, input, started_at,
                                        timeout_at, retention_days, ready_at, invocation_token, lease_expires_at,
                                        worker_id, invocation_started_at)
                select cast(:id as uuid), cast(:workflow as text), cast(:version as text), cast(:name as text),
                       ${STARTED}, cast(:input as text), cast(:now as timestamptz),
                       cast(:timeoutAt as timestamptz), cast(:retentionDays as int),
                       case when r.claimed then null else cast(:now as timestamptz) end,
                       case when r.claimed then gen_random_uuid() end,
                       case when r.claimed then cast(:leaseUntil as timestamptz) end,
                       case when r.claimed then cast(:worker as text) end,
                       case when r.claimed then cast(:now as timestamptz) end
                  from room r
                on conflict on constraint uq_executions_workflow_execution_name do nothing
                returning execution_id, invocation_token
            ), started as (
                ${EXECUTION_EVENTS}
                select execution_id, ${STARTED_EVENT}, :now, :details from ins
            ), timeout as (
                insert into timers (execution_id, timer_id, kind, due_at)
                select execution_id, ${TIMEOUT_ID}, ${TIMEOUT_KIND}, cast(:timeoutAt as timestamptz)
                  from ins where cast(:timeoutAt as timestamptz) is not null
            )
            select execution_id, invocation_token from ins
            """, Map.of(
            "RUNNING", LifecycleSql.RUNNING,
            "STARTED", LifecycleSql.executionStatus(ExecutionCause.STARTED),
            "STARTED_EVENT", LifecycleSql.executionEvent(ExecutionCause.STARTED),
            "TIMEOUT_ID", LifecycleSql.EXECUTION_TIMEOUT_ID,
            "TIMEOUT_KIND", LifecycleSql.kind(TimerKind.EXECUTION_TIMEOUT),
            "EXECUTION_EVENTS", HistorySql.INSERT_EXECUTION_EVENTS));

    private final JdbcClient jdbc;

    ExecutionStatements(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Started start(NewExecution e, StartClaim claim) {
        return jdbc.sql(START)
                .param("id", e.executionId())
                .param("workflow", e.workflow())
                .param("version", e.version())
                .param("name", e.executionName())
                .param("input", e.input())
                .param("now", at(e.startedAt()))
                .param("timeoutAt", at(e.timeoutAt()))
                .param("retentionDays", e.retentionDays())
                .param("details", e.startedDetails())
                .param("worker", claim == null ? null : claim.workerId())
                .param("capacity", claim == null ? 0 : claim.capacity())
                .param("leaseUntil", claim == null ? null : at(claim.leaseUntil()))
                .query((rs, n) -> {
                    UUID token = rs.getObject("invocation_token", UUID.class);
                    return new Started(true, token == null ? null : new Claim(e.executionId(), token, e.workflow(),
                            e.version(), e.input(), e.startedAt(), e.startedAt()));
                })
                .optional()
                .orElse(new Started(false, null));
    }
}
