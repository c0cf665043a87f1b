package dev.cairn.orchestrator.ledger;

import static dev.cairn.orchestrator.sql.SqlTypes.at;

import dev.cairn.protocol.ExecutionCause;
import dev.cairn.protocol.TimerKind;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Starts executions: the execution (RUNNING, ready at once), its {@code ExecutionStarted} event and its
 * {@code EXECUTION_TIMEOUT} timer in one statement. A name already taken in the workflow inserts nothing. (A
 * chained child is started by its parent's checkpoint, in that statement.)
 */
final class ExecutionStatements {

    static final String START = LifecycleSql.fill("""
            with ins as (
                insert into executions (execution_id, workflow, version, execution_name, status, input, started_at,
                                        timeout_at, retention_days, ready_at)
                values (:id, :workflow, :version, :name, ${STARTED}, :input, :now, :timeoutAt, :retentionDays, :now)
                on conflict on constraint uq_executions_workflow_execution_name do nothing
                returning execution_id
            ), started as (
                ${EXECUTION_EVENTS}
                select execution_id, ${STARTED_EVENT}, :now, :details from ins
            ), timeout as (
                insert into timers (execution_id, timer_id, kind, due_at)
                select execution_id, ${TIMEOUT_ID}, ${TIMEOUT_KIND}, cast(:timeoutAt as timestamptz)
                  from ins where cast(:timeoutAt as timestamptz) is not null
            )
            select execution_id from ins
            """, Map.of(
            "STARTED", LifecycleSql.executionStatus(ExecutionCause.STARTED),
            "STARTED_EVENT", LifecycleSql.executionEvent(ExecutionCause.STARTED),
            "TIMEOUT_ID", LifecycleSql.EXECUTION_TIMEOUT_ID,
            "TIMEOUT_KIND", LifecycleSql.kind(TimerKind.EXECUTION_TIMEOUT),
            "EXECUTION_EVENTS", HistorySql.INSERT_EXECUTION_EVENTS));

    private final JdbcClient jdbc;

    ExecutionStatements(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    boolean start(NewExecution e) {
        return !jdbc.sql(START)
                .param("id", e.executionId())
                .param("workflow", e.workflow())
                .param("version", e.version())
                .param("name", e.executionName())
                .param("input", e.input())
                .param("now", at(e.startedAt()))
                .param("timeoutAt", at(e.timeoutAt()))
                .param("retentionDays", e.retentionDays())
                .param("details", e.startedDetails())
                .query((rs, n) -> rs.getObject("execution_id", UUID.class))
                .list()
                .isEmpty();
    }
}
