package dev.cairn.orchestrator.checkpoint;

import static dev.cairn.orchestrator.sql.SqlTypes.at;
import static dev.cairn.orchestrator.sql.SqlTypes.text;
import static dev.cairn.orchestrator.sql.SqlTypes.textArray;

import dev.cairn.orchestrator.notify.Channels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Writes checkpoints and completions. Each request is ONE statement (one round trip, its own transaction): a
 * fenced update of the execution, on which every other part depends, so that a stale token writes nothing; then
 * the operation upserts, the history events, the timer changes and any notification, all from arrays.
 *
 * <p>This is the class boundary behind which a group-commit queue (several requests per transaction) can go.
 */
@Repository
public class CheckpointStore {

    private static final String CHECKPOINT_FENCE = """
            fenced as (
                update executions e set lease_expires_at = greatest(e.lease_expires_at, cast(:leaseUntil as timestamptz))
                 where e.execution_id = :executionId and e.invocation_token = :token and e.status = 'RUNNING'
                returning e.execution_id, e.ready_at, e.worker_id, e.invocation_started_at
            )""";

    private static final String COMPLETE_FENCE = """
            current_invocation as materialized (
                select execution_id, worker_id, invocation_started_at from executions
                 where execution_id = :executionId and invocation_token = :token and status = 'RUNNING'
                 for update
            ), fenced as (
                update executions e
                   set status = :status, result = :result, error = :error, ended_at = cast(:endedAt as timestamptz),
                       ready_at = case when :closing then null else e.ready_at end,
                       invocation_token = null, lease_expires_at = null, worker_id = null, invocation_started_at = null
                  from current_invocation c
                 where e.execution_id = c.execution_id
                returning e.execution_id, e.ready_at, c.worker_id, c.invocation_started_at
            )""";

    private static final String INVOCATION_COMPLETED_DETAILS = """
            case when h.type = 'InvocationCompleted' and h.details is null
                 then json_build_object(
                        'startedAt', coalesce(cast(:workerStartedAt as text),
                                              to_char(f.invocation_started_at at time zone 'UTC',
                                                      'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
                        'endedAt', cast(:workerEndedAt as text),
                        'outcome', cast(:outcome as text),
                        'workerId', f.worker_id)::text
                 else h.details end""";

    private static final String BODY = """
            with %s,
            ops as (
                insert into operations (execution_id, operation_id, parent_id, type, sub_type, name, status, attempt,
                                        started_at, ended_at, result, error, scheduled_end_at, next_attempt_at)
                select f.execution_id, u.id, u.parent_id, u.type, u.sub_type, u.name, u.status, u.attempt, :now,
                       u.ended_at, u.result, u.error, u.scheduled_end_at, u.next_attempt_at
                  from fenced f
                 cross join unnest(cast(:opIds as text[]), cast(:opParents as text[]), cast(:opTypes as text[]),
                                   cast(:opSubTypes as text[]), cast(:opNames as text[]), cast(:opStatuses as text[]),
                                   cast(cast(:opAttempts as text[]) as int[]),
                                   cast(cast(:opEndedAt as text[]) as timestamptz[]),
                                   cast(:opResults as text[]), cast(:opErrors as text[]),
                                   cast(cast(:opScheduledEndAt as text[]) as timestamptz[]),
                                   cast(cast(:opNextAttemptAt as text[]) as timestamptz[]))
                       with ordinality as u(id, parent_id, type, sub_type, name, status, attempt, ended_at, result, error,
                                            scheduled_end_at, next_attempt_at, ord)
                 order by u.ord
                on conflict on constraint pk_operations do update set
                    status = excluded.status,
                    parent_id = coalesce(excluded.parent_id, operations.parent_id),
                    sub_type = coalesce(excluded.sub_type, operations.sub_type),
                    name = coalesce(excluded.name, operations.name),
                    attempt = coalesce(excluded.attempt, operations.attempt),
                    ended_at = coalesce(excluded.ended_at, operations.ended_at),
                    result = coalesce(excluded.result, operations.result),
                    error = coalesce(excluded.error, operations.error),
                    scheduled_end_at = coalesce(excluded.scheduled_end_at, operations.scheduled_end_at),
                    next_attempt_at = coalesce(excluded.next_attempt_at, operations.next_attempt_at)
            ), events as (
                insert into history_events (execution_id, type, occurred_at, operation_id, name, details)
                select f.execution_id, h.type, :now, h.operation_id, h.name, %s
                  from fenced f
                 cross join unnest(cast(:evTypes as text[]), cast(:evOperationIds as text[]), cast(:evNames as text[]),
                                   cast(:evDetails as text[]))
                       with ordinality as h(type, operation_id, name, details, ord)
                 order by h.ord
            ), timers_set as (
                insert into timers (execution_id, timer_id, kind, due_at)
                select f.execution_id, t.id, t.kind, t.due_at
                  from fenced f
                 cross join unnest(cast(:timerIds as text[]), cast(:timerKinds as text[]),
                                   cast(cast(:timerDueAt as text[]) as timestamptz[])) as t(id, kind, due_at)
                on conflict on constraint pk_timers do update set kind = excluded.kind, due_at = excluded.due_at
            ), timers_gone as (
                delete from timers t using fenced f
                 where t.execution_id = f.execution_id
                   and (:closing or t.timer_id = any(cast(:timerDeletes as text[])))
            ), timer_notified as (
                select pg_notify('%s', '') from fenced where :notifyTimer
            ), ready_notified as (
                select pg_notify('%s', '') from fenced where :notifyReady and ready_at is not null
            )
            select f.execution_id, f.ready_at is not null as ready,
                   (select count(*) from timer_notified) + (select count(*) from ready_notified) as notified
              from fenced f
            """;

    private static final String CHECKPOINT = BODY.formatted(CHECKPOINT_FENCE, "h.details", Channels.TIMER,
            Channels.READY);
    private static final String COMPLETE = BODY.formatted(COMPLETE_FENCE, INVOCATION_COMPLETED_DETAILS,
            Channels.TIMER, Channels.READY);

    private final JdbcClient jdbc;

    public CheckpointStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Applies a checkpoint and extends the lease, if {@code token} is the execution's current one.
     *
     * @param notifyTimer whether to wake the timer pollers (a timer due soon is created)
     * @return false when fenced (nothing was written)
     */
    public boolean checkpoint(UUID executionId, UUID token, CheckpointPlan plan, Instant now, Instant leaseUntil,
            boolean notifyTimer) {
        return !bind(CHECKPOINT, executionId, token, plan, now, plan.events(), false, notifyTimer, false)
                .param("leaseUntil", at(leaseUntil))
                .query((rs, n) -> rs.getBoolean("ready"))
                .list()
                .isEmpty();
    }

    /**
     * Applies a completion (its pending updates, the execution's new state, {@code InvocationCompleted} and, when it
     * closes, the closing event and the removal of its timers), releasing the lease.
     *
     * @return null when fenced (nothing was written), else whether the execution is ready again (something made it
     *     ready during the invocation, e.g. a timer fired)
     */
    public Boolean complete(UUID executionId, UUID token, CheckpointPlan plan, Completion completion, Instant now,
            boolean notifyTimer) {
        List<EventRow> events = new ArrayList<>(plan.events());
        events.add(new EventRow("InvocationCompleted", null, null, null));
        if (completion.closingEvent() != null) {
            events.add(completion.closingEvent());
        }
        List<Boolean> ready = bind(COMPLETE, executionId, token, plan, now, events, completion.closes(),
                notifyTimer && !completion.closes(), !completion.closes())
                .param("status", completion.status())
                .param("result", completion.result())
                .param("error", completion.error())
                .param("endedAt", completion.closes() ? at(now) : null)
                .param("workerStartedAt", text(completion.workerStartedAt()))
                .param("workerEndedAt", text(completion.workerEndedAt() != null ? completion.workerEndedAt() : now))
                .param("outcome", completion.outcome().name())
                .query((rs, n) -> rs.getBoolean("ready"))
                .list();
        return ready.isEmpty() ? null : ready.get(0);
    }

    private JdbcClient.StatementSpec bind(String sql, UUID executionId, UUID token, CheckpointPlan plan, Instant now,
            List<EventRow> events, boolean closing, boolean notifyTimer, boolean notifyReady) {
        List<OperationRow> ops = plan.operations();
        List<TimerRow> timers = closing ? List.of() : plan.timerUpserts();
        return jdbc.sql(sql)
                .param("executionId", executionId)
                .param("token", token)
                .param("now", at(now))
                .param("closing", closing)
                .param("notifyTimer", notifyTimer)
                .param("notifyReady", notifyReady)
                .param("opIds", column(ops, OperationRow::id))
                .param("opParents", column(ops, OperationRow::parentId))
                .param("opTypes", column(ops, OperationRow::type))
                .param("opSubTypes", column(ops, OperationRow::subType))
                .param("opNames", column(ops, OperationRow::name))
                .param("opStatuses", column(ops, OperationRow::status))
                .param("opAttempts", column(ops, r -> r.attempt() == null ? null : r.attempt().toString()))
                .param("opEndedAt", column(ops, r -> text(r.endedAt())))
                .param("opResults", column(ops, OperationRow::result))
                .param("opErrors", column(ops, OperationRow::error))
                .param("opScheduledEndAt", column(ops, r -> text(r.scheduledEndAt())))
                .param("opNextAttemptAt", column(ops, r -> text(r.nextAttemptAt())))
                .param("evTypes", column(events, EventRow::type))
                .param("evOperationIds", column(events, EventRow::operationId))
                .param("evNames", column(events, EventRow::name))
                .param("evDetails", column(events, EventRow::details))
                .param("timerIds", column(timers, TimerRow::timerId))
                .param("timerKinds", column(timers, TimerRow::kind))
                .param("timerDueAt", column(timers, t -> text(t.dueAt())))
                .param("timerDeletes", textArray(closing ? List.of() : plan.timerDeletes()));
    }

    private static <T> Object column(List<T> rows, Function<T, String> value) {
        List<String> values = new ArrayList<>(rows.size());
        for (T row : rows) {
            values.add(value.apply(row));
        }
        return textArray(values);
    }
}
