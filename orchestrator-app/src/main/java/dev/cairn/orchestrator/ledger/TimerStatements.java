package dev.cairn.orchestrator.ledger;

import static dev.cairn.orchestrator.sql.SqlTypes.at;
import static dev.cairn.orchestrator.sql.SqlTypes.instant;

import dev.cairn.protocol.Cause;
import dev.cairn.protocol.ExecutionCause;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.TimerKind;
import dev.cairn.protocol.Transition;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Fires due timers: WAIT → the wait SUCCEEDED; RETRY → the step READY; CALLBACK_TIMEOUT / CALLBACK_HEARTBEAT → the
 * callback TIMED_OUT ({@code CallbackTimedOut {reason}}) and its other timer gone; each makes the execution ready.
 * EXECUTION_TIMEOUT → the execution TIMED_OUT, and a chained child's parent learns it (the parent's row is locked
 * before the child's: an execution before its children). Claiming a timer deletes it
 * ({@code FOR UPDATE SKIP LOCKED}), so each fires exactly once however many replicas poll; its effect is applied in
 * the same statement. What each firing does is the lifecycle's ({@link LifecycleSql}).
 *
 * <p>A pass that lags (the poller was down or busy) fires timers that fell due at different times; they take effect
 * as if it had kept up: an operation's timer that fell due before its execution's timeout is applied (a callback that
 * timed out before its execution did ends TIMED_OUT), one due at or after it is not, and the pass's events are
 * inserted in one statement in the order their timers fell due.
 */
final class TimerStatements {

    static final String FIRE = LifecycleSql.fill("""
            with fired as (
                delete from timers t
                 where (t.execution_id, t.timer_id) in (
                        select execution_id, timer_id from timers
                         where due_at <= :now
                         order by due_at
                         for update skip locked
                         limit :limit)
                returning t.execution_id, t.timer_id, t.kind, t.operation_id, t.due_at
            ), timing_out as (
                select execution_id, min(due_at) as due_at from fired where kind = ${EXECUTION_TIMEOUT}
                 group by execution_id
            ), operation_timers as (
                -- the timers of operations that fell due before their execution timed out (a lagging pass fires
                -- both: each takes effect as if the poller had kept up); of a callback's two timers, the earlier
                select distinct on (f.execution_id, f.operation_id) f.execution_id, f.timer_id, f.kind,
                       f.operation_id, f.due_at
                  from fired f left join timing_out t on t.execution_id = f.execution_id
                 where f.kind in ${WAKING_TIMERS} and (t.due_at is null or f.due_at < t.due_at)
                 order by f.execution_id, f.operation_id, f.due_at
            ), woken as (
                update executions e set ready_at = coalesce(e.ready_at, :now)
                  from (select distinct execution_id from operation_timers) f
                 where e.execution_id = f.execution_id and e.status = ${RUNNING}
                   and f.execution_id not in (select execution_id from timing_out)
                returning e.execution_id
            ), timeout_parents as materialized (
                -- a chained child's parent learns its timeout: locked before the child (an execution before its
                -- children, the order a stop of the parent uses)
                select p.execution_id from executions p
                 where p.execution_id in (select x.parent_execution_id from executions x
                                            join timing_out t on t.execution_id = x.execution_id)
                 order by p.execution_id
                 for no key update
            ), timed_out as (
                update executions e
                   set status = ${TIMED_OUT}, ended_at = :now, ready_at = null, ${RELEASE}
                  from timing_out f
                 where e.execution_id = f.execution_id and e.status = ${RUNNING}
                   and ${AFTER_PARENTS}
                returning e.execution_id, e.timeout_at, e.parent_execution_id, e.parent_operation_id, e.workflow
            ), applying as (
                -- the executions whose operation timers take effect: made ready, or timing out in this pass (their
                -- rows are locked by then: an execution before its operations)
                select execution_id from woken union all select execution_id from timed_out
            ), waits as (
                update operations o set status = ${WAIT_NEXT}, ended_at = :now
                  from operation_timers f
                 where f.kind = ${WAIT} and o.execution_id = f.execution_id and o.operation_id = f.timer_id
                   and o.status = ${WAIT_REQUIRES} and f.execution_id in (select execution_id from applying)
                returning o.execution_id, o.operation_id, o.name, f.due_at
            ), retries as (
                update operations o set status = ${RETRY_NEXT}
                  from operation_timers f
                 where f.kind = ${RETRY} and o.execution_id = f.execution_id and o.operation_id = f.timer_id
                   and o.status = ${RETRY_REQUIRES} and f.execution_id in (select execution_id from applying)
                returning o.execution_id
            ), callbacks as (
                update operations o set status = ${CALLBACK_NEXT}, ended_at = :now
                  from operation_timers f
                 where f.kind in ${CALLBACK_TIMERS} and o.execution_id = f.execution_id
                   and o.operation_id = f.operation_id and o.type = ${CALLBACK} and o.status = ${CALLBACK_REQUIRES}
                   and f.execution_id in (select execution_id from applying)
                returning o.execution_id, o.operation_id, o.name, f.kind, f.due_at
            ), callback_timers as (
                -- the callback's other timer; one that another poller is firing right now finds nothing to do
                delete from timers t
                 where (t.execution_id, t.timer_id) in (
                        select x.execution_id, x.timer_id from timers x join callbacks c
                            on x.execution_id = c.execution_id and x.operation_id = c.operation_id
                         where x.kind in ${CALLBACK_TIMERS}
                         for update of x skip locked)
            ), pass_events as (
                -- one insert, in the order the timers fell due: the history reads as if the poller had kept up
                ${OPERATION_EVENTS}
                select execution_id, type, :now, operation_id, name, details from (
                    select execution_id, ${WAIT_EVENT} as type, operation_id, name, ${NO_DETAILS} as details, due_at
                      from waits
                    union all
                    select execution_id, ${CALLBACK_EVENT}, operation_id, name,
                           json_build_object('reason', ${TIMEOUT_REASON})::text, due_at
                      from callbacks
                    union all
                    select o.execution_id, ${TIMED_OUT_EVENT}, cast(null as text), cast(null as text),
                           json_build_object('timeoutAt', ${TIMEOUT_AT})::text, t.due_at
                      from timed_out o join timing_out t on t.execution_id = o.execution_id
                ) e
                order by due_at, execution_id, operation_id nulls last
            ), other_timers as (
                delete from timers t
                 where (t.execution_id, t.timer_id) in (
                        select x.execution_id, x.timer_id from timers x join timed_out o
                            on x.execution_id = o.execution_id
                         for update of x skip locked)
            ), closed_children as (
                select execution_id, parent_execution_id, parent_operation_id, ${TIMED_OUT} as status,
                       cast(null as text) as result, cast(null as text) as error
                  from timed_out where parent_execution_id is not null
            ), ${CHILD_CLOSE}
            select (select count(*) from fired) as fired,
                   (select count(*) from woken) + (select count(*) from parents_ready) as woken,
                   (select count(*) from retries) as retried,
                   (select count(*) from timed_out) as timed_out,
                   (select coalesce(array_agg(workflow), '{}') from timed_out) as timed_out_workflows,
                   (select coalesce(array_agg(execution_id), '{}') from timed_out) as timed_out_ids,
                   (select count(*) from callbacks) as callbacks_timed_out,
                   (select coalesce(array_agg(cast(extract(epoch from (cast(:now as timestamptz) - due_at)) as float8)),
                                    '{}') from fired) as lags
            """, Map.ofEntries(
            Map.entry("EXECUTION_TIMEOUT", LifecycleSql.kind(TimerKind.EXECUTION_TIMEOUT)),
            Map.entry("WAKING_TIMERS", LifecycleSql.WAKING_TIMERS),
            Map.entry("RUNNING", LifecycleSql.RUNNING),
            Map.entry("WAIT", LifecycleSql.kind(TimerKind.WAIT)),
            Map.entry("WAIT_NEXT", LifecycleSql.next(OperationType.WAIT, Cause.WAIT_TIMER_DUE)),
            Map.entry("WAIT_REQUIRES", LifecycleSql.requires(OperationType.WAIT, Cause.WAIT_TIMER_DUE)),
            Map.entry("WAIT_EVENT", LifecycleSql.event(OperationType.WAIT, Cause.WAIT_TIMER_DUE)),
            Map.entry("RETRY", LifecycleSql.kind(TimerKind.RETRY)),
            Map.entry("RETRY_NEXT", LifecycleSql.next(OperationType.STEP, Cause.RETRY_TIMER_DUE)),
            Map.entry("RETRY_REQUIRES", LifecycleSql.requires(OperationType.STEP, Cause.RETRY_TIMER_DUE)),
            Map.entry("CALLBACK_TIMERS", LifecycleSql.CALLBACK_TIMERS),
            Map.entry("CALLBACK", LifecycleSql.literal(OperationType.CALLBACK)),
            Map.entry("CALLBACK_NEXT", callbackTimedOut(t -> t.next().name())),
            Map.entry("CALLBACK_REQUIRES", callbackTimedOut(t -> t.requires().name())),
            Map.entry("CALLBACK_EVENT", callbackTimedOut(Transition::outcomeEvent)),
            Map.entry("TIMEOUT_REASON", LifecycleSql.callbackTimeoutReason("kind")),
            Map.entry("TIMED_OUT", LifecycleSql.executionStatus(ExecutionCause.TIMED_OUT)),
            Map.entry("TIMED_OUT_EVENT", LifecycleSql.executionEvent(ExecutionCause.TIMED_OUT)),
            Map.entry("RELEASE", LeaseSql.RELEASE),
            Map.entry("AFTER_PARENTS", LockOrder.after("timeout_parents")),
            Map.entry("OPERATION_EVENTS", HistorySql.INSERT_OPERATION_EVENTS),
            Map.entry("NO_DETAILS", HistorySql.NO_DETAILS),
            Map.entry("TIMEOUT_AT", HistorySql.isoText("timeout_at")),
            Map.entry("CHILD_CLOSE", ChildCloseSql.ctes(
                    "select execution_id from woken union all select execution_id from timing_out",
                    "select execution_id from woken"))));

    static final String NEXT_DUE = "select due_at from timers order by due_at limit 1";

    private final JdbcClient jdbc;

    TimerStatements(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    FiredTimers fireDue(Instant now, int limit) {
        return jdbc.sql(FIRE)
                .param("now", at(now))
                .param("limit", limit)
                .query((rs, n) -> new FiredTimers(rs.getInt("fired"), rs.getInt("woken"), rs.getInt("timed_out"),
                        List.of((String[]) rs.getArray("timed_out_workflows").getArray()),
                        rs.getInt("callbacks_timed_out"), lags(rs.getArray("lags")),
                        List.of((UUID[]) rs.getArray("timed_out_ids").getArray())))
                .single();
    }

    Optional<Instant> nextDueAt() {
        return jdbc.sql(NEXT_DUE).query((rs, n) -> instant(rs, "due_at")).optional();
    }

    /**
     * What a callback timer's firing does, the same for both kinds (the table says so, or this fails at class
     * load): the callback's status, the status it must have, its event.
     */
    private static String callbackTimedOut(Function<Transition, String> part) {
        String timeout = part.apply(LifecycleSql.on(OperationType.CALLBACK, Cause.CALLBACK_TIMEOUT_DUE));
        String heartbeat = part.apply(LifecycleSql.on(OperationType.CALLBACK, Cause.CALLBACK_HEARTBEAT_DUE));
        if (!timeout.equals(heartbeat)) {
            throw new IllegalStateException("the callback timers differ: " + timeout + " / " + heartbeat);
        }
        return LifecycleSql.literal(timeout);
    }

    private static List<Duration> lags(Array array) throws SQLException {
        List<Duration> lags = new ArrayList<>();
        for (Object seconds : (Object[]) array.getArray()) {
            lags.add(Duration.ofNanos(Math.round(((Number) seconds).doubleValue() * 1e9)));
        }
        return lags;
    }
}
