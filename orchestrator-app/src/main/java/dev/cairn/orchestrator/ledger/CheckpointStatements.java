package dev.cairn.orchestrator.ledger;

import dev.cairn.protocol.Cause;
import dev.cairn.protocol.ExecutionCause;
import dev.cairn.protocol.TimerKind;
import java.util.Map;

/**
 * The statements of a checkpoint: each request is ONE statement whose first part is the fenced update of its
 * execution ({@link #CHECKPOINT_FENCE}), on which every other part depends, so that a stale token writes nothing.
 * A plain checkpoint (operations and events only) has a lean statement with just those parts
 * ({@link #LEAN_CHECKPOINT}), and lean checkpoints of distinct executions can be written together in one
 * ({@link #LEAN_CHECKPOINTS}); the others take the full statement ({@link #CHECKPOINT}), shared with completions.
 */
final class CheckpointStatements {

    static final String CHECKPOINT_FENCE = LifecycleSql.fill("""
            fenced as (
                update executions e
                   -- renewed only when less than half of it is left: most checkpoints then change no indexed
                   -- column of the row (a HOT update, no new index entries)
                   set lease_expires_at = case when e.lease_expires_at < cast(:renewBelow as timestamptz)
                                               then cast(:leaseUntil as timestamptz)
                                               else e.lease_expires_at end,
                       ready_at = case when :wakesNow then coalesce(e.ready_at, :now) else e.ready_at end
                 where e.execution_id = :executionId and e.invocation_token = :token and e.status = ${RUNNING}
                returning e.execution_id, e.ready_at, e.worker_id, e.invocation_started_at, e.retention_days,
                          e.parent_execution_id, e.parent_operation_id, e.workflow
            )""", Map.of(
            "RUNNING", LifecycleSql.RUNNING));

    static final String NO_CHILD_CLOSE = """
            , parents_ready as (select cast(null as uuid) as execution_id where false)""";

    static final String OPEN = LifecycleSql.OPEN;

    /**
     * The full statement of a checkpoint or a completion, around its {@code fence} (a CTE {@code fenced}: the
     * execution row, updated only if the token is current), with the operations' upsert, the cancellation of what
     * cancelled contexts hold, the events ({@code details}: the expression of each event's details), the timer
     * changes, the chained children started and {@code childClose} (the CTEs that record a closing chained child in
     * its parent, or none).
     */
    static String body(String fence, String details, String childClose) {
        return LifecycleSql.fill("""
            with %1$s,
            ops as (%2$s
            ), cancelled as (
                update operations o set status = ${CANCELLED}, ended_at = :now
                  from fenced f
                 where o.execution_id = f.execution_id and o.status in %3$s
                   and cardinality(cast(:cancelIds as text[])) > 0
                   and exists (select 1 from unnest(cast(:cancelIds as text[])) as c(id)
                                where left(o.operation_id, length(c.id) + 1) = c.id || '-')
                   and o.operation_id <> all(cast(:opIds as text[]))
            ), events as (
                %6$s
                select f.execution_id, h.type, :now, h.operation_id, h.name, %4$s
                  from fenced f
                 cross join unnest(cast(:evTypes as text[]), cast(:evOperationIds as text[]), cast(:evNames as text[]),
                                   cast(:evDetails as text[]))
                       with ordinality as h(type, operation_id, name, details, ord)
                 where h.operation_id is null or h.operation_id in (select operation_id from ops)
                 order by h.ord
            ), timers_set as (
                insert into timers (execution_id, timer_id, kind, due_at, operation_id)
                select f.execution_id, t.id, t.kind, t.due_at, t.operation_id
                  from fenced f
                 cross join unnest(cast(:timerIds as text[]), cast(:timerKinds as text[]),
                                   cast(cast(:timerDueAt as text[]) as timestamptz[]),
                                   cast(:timerOperations as text[])) as t(id, kind, due_at, operation_id)
                 where t.operation_id in (select operation_id from ops)
                on conflict on constraint pk_timers do update
                   set kind = excluded.kind, due_at = excluded.due_at, operation_id = excluded.operation_id
            ), timers_gone as (
                -- a timer that a poller is firing right now is skipped: firing it finds nothing left to do
                delete from timers t
                 where (t.execution_id, t.timer_id) in (
                        select x.execution_id, x.timer_id from timers x join fenced f on x.execution_id = f.execution_id
                         where (:closing
                                or x.timer_id = any(cast(:timerDeletes as text[]))
                                or exists (select 1 from unnest(cast(:cancelIds as text[])) as c(id)
                                            where x.operation_id = c.id
                                               or left(x.operation_id, length(c.id) + 1) = c.id || '-'))
                           and x.timer_id <> all(cast(:timerIds as text[]))
                         for update of x skip locked)
            ), children as (
                insert into executions (execution_id, workflow, version, status, input, started_at, timeout_at,
                                        retention_days, ready_at, parent_execution_id, parent_operation_id)
                select c.id, c.workflow, c.version, ${STARTED}, c.input, :now, c.timeout_at, f.retention_days, :now,
                       f.execution_id, c.operation_id
                  from fenced f
                 cross join unnest(cast(cast(:childIds as text[]) as uuid[]), cast(:childWorkflows as text[]),
                                   cast(:childVersions as text[]), cast(:childInputs as text[]),
                                   cast(cast(:childTimeoutAt as text[]) as timestamptz[]),
                                   cast(:childOperations as text[]))
                       as c(id, workflow, version, input, timeout_at, operation_id)
                 where c.operation_id in (select operation_id from ops)
                on conflict do nothing
                returning execution_id, workflow, version, timeout_at, parent_execution_id, parent_operation_id
            ), children_started as (
                %7$s
                select execution_id, ${STARTED_EVENT}, :now,
                       json_strip_nulls(json_build_object(
                           'workflow', workflow, 'version', version,
                           'timeoutAt', %8$s,
                           'parentExecutionId', parent_execution_id, 'parentOperationId', parent_operation_id))::text
                  from children
            ), children_timeouts as (
                insert into timers (execution_id, timer_id, kind, due_at)
                select execution_id, ${TIMEOUT_ID}, ${TIMEOUT_KIND}, timeout_at
                  from children where timeout_at is not null
            )%5$s
            select f.execution_id, f.workflow, f.ready_at is not null as ready,
                   (select count(*) from children) + (select count(*) from parents_ready) as woke_others,
                   (select coalesce(array_agg(workflow), '{}') from children) as child_workflows
              from fenced f
            """.formatted(fence, OperationUpsertSql.OPS_UPSERT, OPEN, details, childClose,
                    HistorySql.INSERT_OPERATION_EVENTS, HistorySql.INSERT_EXECUTION_EVENTS,
                    HistorySql.isoText("timeout_at")), Map.of(
            "CANCELLED", LifecycleSql.uniformNext(Cause.CONTEXT_CANCELLED),
            "STARTED", LifecycleSql.executionStatus(ExecutionCause.STARTED),
            "STARTED_EVENT", LifecycleSql.executionEvent(ExecutionCause.STARTED),
            "TIMEOUT_ID", LifecycleSql.EXECUTION_TIMEOUT_ID,
            "TIMEOUT_KIND", LifecycleSql.kind(TimerKind.EXECUTION_TIMEOUT)));
    }

    /**
     * The common checkpoint: operations and their history events, nothing else (no timers, cancellations, chained
     * children or wake-ups), so PostgreSQL opens three tables rather than every part of the full statement.
     */
    static final String LEAN_CHECKPOINT = """
            with %1$s,
            ops as (%2$s
            ), events as (
                %3$s
                select f.execution_id, h.type, :now, h.operation_id, h.name, h.details
                  from fenced f
                 cross join unnest(cast(:evTypes as text[]), cast(:evOperationIds as text[]), cast(:evNames as text[]),
                                   cast(:evDetails as text[]))
                       with ordinality as h(type, operation_id, name, details, ord)
                 where h.operation_id is null or h.operation_id in (select operation_id from ops)
                 order by h.ord
            )
            select f.execution_id, f.workflow, f.ready_at is not null as ready, 0 as woke_others,
                   cast('{}' as text[]) as child_workflows
              from fenced f
            """.formatted(CHECKPOINT_FENCE, OperationUpsertSql.OPS_UPSERT,
                    HistorySql.INSERT_OPERATION_EVENTS);

    /**
     * Lean checkpoints of several executions (each at most once) in ONE statement: the same writes as
     * {@link #LEAN_CHECKPOINT} for each, from arrays that carry every checkpoint's rows with its execution id. A
     * fenced execution writes nothing and has no row in the answer.
     */
    static final String LEAN_CHECKPOINTS = LifecycleSql.fill("""
            with input as materialized (
                select * from unnest(cast(cast(:ids as text[]) as uuid[]), cast(cast(:tokens as text[]) as uuid[]),
                                     cast(cast(:nows as text[]) as timestamptz[]),
                                     cast(cast(:leaseUntils as text[]) as timestamptz[]),
                                     cast(cast(:renewBelows as text[]) as timestamptz[]),
                                     cast(cast(:wakesNow as text[]) as boolean[]))
                       as i(execution_id, token, now, lease_until, renew_below, wakes_now)
            ), fenced as (
                update executions e
                   set lease_expires_at = case when e.lease_expires_at < i.renew_below then i.lease_until
                                               else e.lease_expires_at end,
                       ready_at = case when i.wakes_now then coalesce(e.ready_at, i.now) else e.ready_at end
                  from input i
                 where e.execution_id = i.execution_id and e.invocation_token = i.token and e.status = ${RUNNING}
                returning e.execution_id, e.ready_at, e.workflow, i.now
            ), ops as (
            %1$s
            %2$s
              join fenced f on f.execution_id = u.execution
             order by u.ord
            %3$s
            ), events as (
                %4$s
                select f.execution_id, h.type, f.now, h.operation_id, h.name, h.details
                  from unnest(cast(cast(:evExecutions as text[]) as uuid[]), cast(:evTypes as text[]),
                              cast(:evOperationIds as text[]), cast(:evNames as text[]), cast(:evDetails as text[]))
                       with ordinality as h(execution, type, operation_id, name, details, ord)
                  join fenced f on f.execution_id = h.execution
                 where h.operation_id is null
                    or (h.execution, h.operation_id) in (select execution_id, operation_id from ops)
                 order by h.ord
            )
            select f.execution_id, f.workflow, f.ready_at is not null as ready, 0 as woke_others,
                   cast('{}' as text[]) as child_workflows
              from fenced f
            """.formatted(OperationUpsertSql.OPS_INSERT, OperationUpsertSql.combinedValues(),
                    OperationUpsertSql.OPS_ON_CONFLICT, HistorySql.INSERT_OPERATION_EVENTS), Map.of(
            "RUNNING", LifecycleSql.RUNNING));

    static final String CHECKPOINT = body(CHECKPOINT_FENCE, "h.details", NO_CHILD_CLOSE);

    private CheckpointStatements() {
    }
}
