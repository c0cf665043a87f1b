package dev.cairn.orchestrator.timer;

import static dev.cairn.orchestrator.sql.SqlTypes.at;
import static dev.cairn.orchestrator.sql.SqlTypes.instant;

import dev.cairn.orchestrator.chain.ChildCloseSql;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Fires due timers: WAIT → the wait SUCCEEDED; RETRY → the step READY; CALLBACK_TIMEOUT / CALLBACK_HEARTBEAT → the
 * callback TIMED_OUT ({@code CallbackTimedOut {reason}}) and its other timer gone; each makes the execution ready.
 * EXECUTION_TIMEOUT → the execution TIMED_OUT, and a chained child's parent learns it (the parent's row is locked
 * before the child's: an execution before its children). Claiming a timer deletes it
 * ({@code FOR UPDATE SKIP LOCKED}), so each fires exactly once however many replicas poll; its effect is applied in
 * the same statement.
 */
@Repository
public class TimerStore {

    private static final String FIRE = """
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
                select distinct execution_id from fired where kind = 'EXECUTION_TIMEOUT'
            ), woken as (
                update executions e set ready_at = coalesce(e.ready_at, :now)
                  from (select distinct execution_id from fired
                         where kind in ('WAIT', 'RETRY', 'CALLBACK_TIMEOUT', 'CALLBACK_HEARTBEAT')) f
                 where e.execution_id = f.execution_id and e.status = 'RUNNING'
                   and f.execution_id not in (select execution_id from timing_out)
                returning e.execution_id
            ), waits as (
                update operations o set status = 'SUCCEEDED', ended_at = :now
                  from fired f
                 where f.kind = 'WAIT' and o.execution_id = f.execution_id and o.operation_id = f.timer_id
                   and o.status = 'STARTED' and f.execution_id in (select execution_id from woken)
                returning o.execution_id, o.operation_id, o.name
            ), wait_events as (
                insert into history_events (execution_id, type, occurred_at, operation_id, name)
                select execution_id, 'WaitSucceeded', :now, operation_id, name from waits
            ), retries as (
                update operations o set status = 'READY'
                  from fired f
                 where f.kind = 'RETRY' and o.execution_id = f.execution_id and o.operation_id = f.timer_id
                   and o.status = 'PENDING' and f.execution_id in (select execution_id from woken)
                returning o.execution_id
            ), callbacks as (
                update operations o set status = 'TIMED_OUT', ended_at = :now
                  from fired f
                 where f.kind in ('CALLBACK_TIMEOUT', 'CALLBACK_HEARTBEAT') and o.execution_id = f.execution_id
                   and o.operation_id = f.operation_id and o.type = 'CALLBACK' and o.status = 'STARTED'
                   and f.execution_id in (select execution_id from woken)
                returning o.execution_id, o.operation_id, o.name, f.kind
            ), callback_events as (
                insert into history_events (execution_id, type, occurred_at, operation_id, name, details)
                select execution_id, 'CallbackTimedOut', :now, operation_id, name,
                       json_build_object('reason', case kind when 'CALLBACK_TIMEOUT' then 'TIMEOUT'
                                                             else 'HEARTBEAT_TIMEOUT' end)::text
                  from callbacks
            ), callback_timers as (
                -- the callback's other timer; one that another poller is firing right now finds nothing to do
                delete from timers t
                 where (t.execution_id, t.timer_id) in (
                        select x.execution_id, x.timer_id from timers x join callbacks c
                            on x.execution_id = c.execution_id and x.operation_id = c.operation_id
                         where x.kind in ('CALLBACK_TIMEOUT', 'CALLBACK_HEARTBEAT')
                         for update of x skip locked)
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
                   set status = 'TIMED_OUT', ended_at = :now, ready_at = null, invocation_token = null,
                       lease_expires_at = null, worker_id = null, invocation_started_at = null
                  from timing_out f
                 where e.execution_id = f.execution_id and e.status = 'RUNNING'
                   and (select count(*) from timeout_parents) >= 0
                returning e.execution_id, e.timeout_at, e.parent_execution_id, e.parent_operation_id, e.workflow
            ), timeout_events as (
                insert into history_events (execution_id, type, occurred_at, details)
                select execution_id, 'ExecutionTimedOut', :now,
                       json_build_object('timeoutAt', to_char(timeout_at at time zone 'UTC',
                                                              'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text
                  from timed_out
            ), other_timers as (
                delete from timers t
                 where (t.execution_id, t.timer_id) in (
                        select x.execution_id, x.timer_id from timers x join timed_out o
                            on x.execution_id = o.execution_id
                         for update of x skip locked)
            ), closed_children as (
                select execution_id, parent_execution_id, parent_operation_id, 'TIMED_OUT' as status,
                       cast(null as text) as result, cast(null as text) as error
                  from timed_out where parent_execution_id is not null
            ), %s
            select (select count(*) from fired) as fired,
                   (select count(*) from woken) + (select count(*) from parents_ready) as woken,
                   (select count(*) from retries) as retried,
                   (select count(*) from timed_out) as timed_out,
                   (select coalesce(array_agg(workflow), '{}') from timed_out) as timed_out_workflows,
                   (select coalesce(array_agg(execution_id), '{}') from timed_out) as timed_out_ids,
                   (select count(*) from callbacks) as callbacks_timed_out,
                   (select coalesce(array_agg(cast(extract(epoch from (cast(:now as timestamptz) - due_at)) as float8)),
                                    '{}') from fired) as lags
            """.formatted(ChildCloseSql.ctes(
                    "select execution_id from woken union all select execution_id from timing_out",
                    "select execution_id from woken"));

    private static final String NEXT_DUE = "select due_at from timers order by due_at limit 1";

    private final JdbcClient jdbc;

    public TimerStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Fires up to {@code limit} timers due at {@code now}. */
    public FiredTimers fireDue(Instant now, int limit) {
        return jdbc.sql(FIRE)
                .param("now", at(now))
                .param("limit", limit)
                .query((rs, n) -> new FiredTimers(rs.getInt("fired"), rs.getInt("woken"), rs.getInt("timed_out"),
                        List.of((String[]) rs.getArray("timed_out_workflows").getArray()),
                        rs.getInt("callbacks_timed_out"), lags(rs.getArray("lags")),
                        List.of((UUID[]) rs.getArray("timed_out_ids").getArray())))
                .single();
    }

    /** When the earliest timer is due, null when there is none. */
    public Instant nextDueAt() {
        return jdbc.sql(NEXT_DUE).query((rs, n) -> instant(rs, "due_at")).optional().orElse(null);
    }

    /**
     * What one pass fired.
     *
     * @param woken executions made ready
     * @param timedOut executions ended TIMED_OUT
     * @param timedOutWorkflows the workflow of each execution ended TIMED_OUT
     * @param callbacksTimedOut callbacks ended TIMED_OUT
     * @param lags how late each fired timer was (now − due)
     * @param timedOutIds the id of each execution ended TIMED_OUT
     */
    public record FiredTimers(int fired, int woken, int timedOut, List<String> timedOutWorkflows,
            int callbacksTimedOut, List<Duration> lags, List<UUID> timedOutIds) {

        public FiredTimers {
            timedOutWorkflows = List.copyOf(timedOutWorkflows);
            lags = List.copyOf(lags);
            timedOutIds = List.copyOf(timedOutIds);
        }
    }

    private static List<Duration> lags(Array array) throws SQLException {
        List<Duration> lags = new ArrayList<>();
        for (Object seconds : (Object[]) array.getArray()) {
            lags.add(Duration.ofNanos(Math.round(((Number) seconds).doubleValue() * 1e9)));
        }
        return lags;
    }
}
