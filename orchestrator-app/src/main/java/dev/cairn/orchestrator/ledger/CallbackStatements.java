package dev.cairn.orchestrator.ledger;

import static dev.cairn.orchestrator.sql.SqlTypes.at;

import dev.cairn.protocol.Cause;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.TimerKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Completes callbacks and records their heartbeats, each in ONE statement: the execution row is locked first (the
 * order every writer of an execution uses), then the callback's operation, so two concurrent requests for one
 * callback are serialized and the second sees what the first did. Nothing is written unless the callback is
 * STARTED and its execution RUNNING.
 */
final class CallbackStatements {

    /** The status of a callback that a request (its completion, a heartbeat) still acts on. */
    private static final String OPEN_CALLBACK = LifecycleSql.requires(OperationType.CALLBACK, Cause.CALLBACK_SUCCEEDED);

    private static final String TARGET = """
            with exec_locked as materialized (
                select e.execution_id, e.status from executions e
                 where e.execution_id = (select o.execution_id from operations o where o.callback_id = :callbackId)
                 for no key update
            ), target as materialized (
                select o.execution_id, o.operation_id, o.name, o.status, o.heartbeat_timeout, o.result, o.error,
                       x.status as execution_status
                  from operations o join exec_locked x on x.execution_id = o.execution_id
                 where o.callback_id = :callbackId
                 for no key update of o
            )""";

    static final String COMPLETE = LifecycleSql.fill(TARGET + """
            , done as (
                update operations o set status = :status, ended_at = :now, result = :result, error = :error
                  from target t
                 where o.execution_id = t.execution_id and o.operation_id = t.operation_id
                   and t.status = ${OPEN_CALLBACK} and t.execution_status = ${RUNNING}
                returning o.execution_id, o.operation_id, o.name
            ), events as (
                ${OPERATION_EVENTS}
                select execution_id, :eventType, :now, operation_id, name, :details from done
            ), timers_gone as (
                -- a timer that a poller is firing right now is skipped: it finds the callback closed
                delete from timers t
                 where (t.execution_id, t.timer_id) in (
                        select x.execution_id, x.timer_id from timers x join done d
                            on x.execution_id = d.execution_id and x.operation_id = d.operation_id
                         where x.kind in ${CALLBACK_TIMERS}
                         for update of x skip locked)
            ), ready as (
                update executions e set ready_at = coalesce(e.ready_at, :now)
                  from done d
                 where e.execution_id = d.execution_id
                returning e.execution_id
            )
            select t.status, t.execution_status, t.result, t.error, false as firing,
                   (select count(*) from done) as changed,
                   (select count(*) from ready) as tell
              from target t
            """, Map.of(
            "OPERATION_EVENTS", HistorySql.INSERT_OPERATION_EVENTS,
            "CALLBACK_TIMERS", LifecycleSql.CALLBACK_TIMERS,
            "OPEN_CALLBACK", OPEN_CALLBACK,
            "RUNNING", LifecycleSql.RUNNING));

    static final String HEARTBEAT = LifecycleSql.fill(TARGET + """
            , callback_timers as (
                select x.execution_id, x.timer_id from timers x join target y
                    on x.execution_id = y.execution_id and x.operation_id = y.operation_id
                 where x.kind in ${CALLBACK_TIMERS}
            ), lockable as materialized (
                -- every other writer of these rows locks the execution first, so one held by another statement
                -- now is being fired by a poller: the callback is timing out, and the heartbeat moves nothing
                select x.execution_id, x.timer_id, x.kind from timers x join target y
                    on x.execution_id = y.execution_id and x.operation_id = y.operation_id
                 where x.kind in ${CALLBACK_TIMERS}
                   for update of x skip locked
            ), firing as (
                select (select count(*) from callback_timers) > (select count(*) from lockable) as firing
            ), moved as (
                update timers t set due_at = cast(:now as timestamptz) + g.heartbeat_timeout
                  from target g, lockable l, firing f
                 where t.execution_id = l.execution_id and t.timer_id = l.timer_id and l.kind = ${HEARTBEAT}
                   and g.status = ${OPEN_CALLBACK} and g.execution_status = ${RUNNING} and not f.firing
                returning t.due_at
            )
            select t.status, t.execution_status, t.result, t.error, (select firing from firing) as firing,
                   (select count(*) from moved) as changed,
                   (select count(*) from moved where due_at < :soon) as tell
              from target t
            """, Map.of(
            "CALLBACK_TIMERS", LifecycleSql.CALLBACK_TIMERS,
            "HEARTBEAT", LifecycleSql.kind(TimerKind.CALLBACK_HEARTBEAT),
            "OPEN_CALLBACK", OPEN_CALLBACK,
            "RUNNING", LifecycleSql.RUNNING));

    private final JdbcClient jdbc;

    CallbackStatements(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<CallbackOutcome> complete(String callbackId, String status, String result, String error,
            String eventType, String details, Instant now) {
        return jdbc.sql(COMPLETE)
                .param("callbackId", callbackId)
                .param("status", status)
                .param("result", result)
                .param("error", error)
                .param("eventType", eventType)
                .param("details", details)
                .param("now", at(now))
                .query(CallbackStatements::outcome)
                .optional();
    }

    Optional<CallbackOutcome> heartbeat(String callbackId, Instant now, Duration soon) {
        return jdbc.sql(HEARTBEAT)
                .param("callbackId", callbackId)
                .param("now", at(now))
                .param("soon", at(now.plus(soon)))
                .query(CallbackStatements::outcome)
                .optional();
    }

    private static CallbackOutcome outcome(ResultSet rs, int row) throws SQLException {
        return new CallbackOutcome(rs.getString("status"), rs.getString("execution_status"), rs.getString("result"),
                rs.getString("error"), rs.getBoolean("firing"), rs.getLong("changed") > 0, rs.getLong("tell") > 0);
    }
}
