package dev.cairn.orchestrator.ledger;

import java.util.Map;

/**
 * The statements of a completion: ONE statement that locks a closing chained child's parent first
 * ({@link #COMPLETE_FENCE}: the lock order, an execution before its children), fences on the token, releases the
 * lease and sets the execution's new state, then writes what the full checkpoint statement writes
 * ({@link CheckpointStatements#body}), {@code InvocationCompleted} with its details and, for a chained child, its
 * close in the parent ({@link ChildCloseSql}). Lean completions of distinct executions can be written together in
 * one statement ({@link #LEAN_COMPLETIONS}).
 */
final class CompletionStatements {

    /**
     * A completion that closes a chained child writes its parent's row too: the parent is locked first, before the
     * child (the lock order: an execution before its children), as a stop of the parent does.
     */
    static final String COMPLETE_FENCE = LifecycleSql.fill("""
            parent_first as materialized (
                select p.execution_id from executions p
                 where :closing
                   and p.execution_id = (select x.parent_execution_id from executions x
                                          where x.execution_id = :executionId)
                 for no key update
            ), current_invocation as materialized (
                select execution_id, worker_id, invocation_started_at from executions
                 where execution_id = :executionId and invocation_token = :token and status = ${RUNNING}
                   and %1$s
                 for update
            ), fenced as (
                update executions e
                   set status = :status, result = :result, error = :error, ended_at = cast(:endedAt as timestamptz),
                       ready_at = case when :closing then null
                                       when :wakesNow then coalesce(e.ready_at, :now)
                                       else e.ready_at end,
                       %2$s,
                       completed_invocation_token = e.invocation_token
                  from current_invocation c
                 where e.execution_id = c.execution_id
                returning e.execution_id, e.ready_at, c.worker_id, c.invocation_started_at, e.retention_days,
                          e.parent_execution_id, e.parent_operation_id, e.workflow
            )""".formatted(LockOrder.after("parent_first"), LeaseSql.RELEASE), Map.of(
            "RUNNING", LifecycleSql.RUNNING));

    static final String INVOCATION_COMPLETED_DETAILS = LifecycleSql.fill("""
            case when h.type = ${INVOCATION_COMPLETED} and h.details is null
                 then json_build_object(
                        'startedAt', coalesce(cast(:workerStartedAt as text),
                                              %s),
                        'endedAt', cast(:workerEndedAt as text),
                        'outcome', cast(:outcome as text),
                        'workerId', f.worker_id)::text
                 else h.details end""".formatted(HistorySql.isoText("f.invocation_started_at")), Map.of(
            "INVOCATION_COMPLETED", LifecycleSql.INVOCATION_COMPLETED));

    /** A completion that closes a chained child records it in the parent. */
    static final String COMPLETE_CHILD_CLOSE = """
            , closed_children as (
                select f.execution_id, f.parent_execution_id, f.parent_operation_id, cast(:status as text) as status,
                       cast(:result as text) as result, cast(:error as text) as error
                  from fenced f
                 where :closing and f.parent_execution_id is not null
            ), %s""".formatted(ChildCloseSql.ctes("select execution_id from fenced", ChildCloseSql.NONE));

    /**
     * Lean completions of several executions (each at most once) in ONE statement: a completion that cancels
     * nothing, deletes no timer and starts no chained child. Each releases its lease and takes its new state, writes
     * its operations, its events ({@code InvocationCompleted} with its details, the closing event) and the timers it
     * sets; one that closes deletes its timers. One that closes a chained child (its parent must learn it) is not
     * written here: its row answers {@code chained} and it is written by the full statement, in the same
     * transaction. A fenced execution writes nothing and has no row in the answer.
     */
    static final String LEAN_COMPLETIONS = LifecycleSql.fill("""
            with input as materialized (
                select * from unnest(cast(cast(:ids as text[]) as uuid[]), cast(cast(:tokens as text[]) as uuid[]),
                                     cast(cast(:nows as text[]) as timestamptz[]), cast(:statuses as text[]),
                                     cast(:results as text[]), cast(:errors as text[]),
                                     cast(cast(:closings as text[]) as boolean[]),
                                     cast(cast(:wakesNow as text[]) as boolean[]),
                                     cast(:workerStartedAts as text[]), cast(:workerEndedAts as text[]),
                                     cast(:outcomes as text[]))
                       as i(execution_id, token, now, status, result, error, closing, wakes_now, worker_started_at,
                            worker_ended_at, outcome)
            ), parents_first as materialized (
                -- the parents of closing chained children, locked before the children (see COMPLETE_FENCE)
                select p.execution_id from executions p
                 where p.execution_id in (select x.parent_execution_id from executions x
                                            join input i on i.execution_id = x.execution_id
                                           where i.closing)
                 order by p.execution_id
                 for no key update
            ), current_invocation as materialized (
                select e.execution_id, e.worker_id, e.invocation_started_at,
                       e.parent_execution_id is not null as chained
                  from executions e join input i on i.execution_id = e.execution_id
                 where e.invocation_token = i.token and e.status = ${RUNNING}
                   and %4$s
                 for update of e
            ), fenced as (
                update executions e
                   set status = i.status, result = i.result, error = i.error,
                       ended_at = case when i.closing then i.now end,
                       ready_at = case when i.closing then null
                                       when i.wakes_now then coalesce(e.ready_at, i.now)
                                       else e.ready_at end,
                       %5$s,
                       completed_invocation_token = e.invocation_token
                  from current_invocation c join input i on i.execution_id = c.execution_id
                 where e.execution_id = c.execution_id and not (i.closing and c.chained)
                returning e.execution_id, e.ready_at, e.workflow, c.worker_id, c.invocation_started_at, i.now,
                          i.closing, i.worker_started_at, i.worker_ended_at, i.outcome
            ), ops as (
            %1$s
            %2$s
              join fenced f on f.execution_id = u.execution
             order by u.ord
            %3$s
            ), events as (
                %6$s
                select f.execution_id, h.type, f.now, h.operation_id, h.name,
                       case when h.type = ${INVOCATION_COMPLETED} and h.details is null
                            then json_build_object(
                                   'startedAt', coalesce(f.worker_started_at,
                                                         %7$s),
                                   'endedAt', f.worker_ended_at, 'outcome', f.outcome,
                                   'workerId', f.worker_id)::text
                            else h.details end
                  from unnest(cast(cast(:evExecutions as text[]) as uuid[]), cast(:evTypes as text[]),
                              cast(:evOperationIds as text[]), cast(:evNames as text[]), cast(:evDetails as text[]))
                       with ordinality as h(execution, type, operation_id, name, details, ord)
                  join fenced f on f.execution_id = h.execution
                 where h.operation_id is null
                    or (h.execution, h.operation_id) in (select execution_id, operation_id from ops)
                 order by h.ord
            ), timers_set as (
                insert into timers (execution_id, timer_id, kind, due_at, operation_id)
                select f.execution_id, t.id, t.kind, t.due_at, t.operation_id
                  from unnest(cast(cast(:timerExecutions as text[]) as uuid[]), cast(:timerIds as text[]),
                              cast(:timerKinds as text[]), cast(cast(:timerDueAt as text[]) as timestamptz[]),
                              cast(:timerOperations as text[])) as t(execution, id, kind, due_at, operation_id)
                  join fenced f on f.execution_id = t.execution
                 where (t.execution, t.operation_id) in (select execution_id, operation_id from ops)
                on conflict on constraint pk_timers do update
                   set kind = excluded.kind, due_at = excluded.due_at, operation_id = excluded.operation_id
            ), timers_gone as (
                -- a timer that a poller is firing right now is skipped: firing it finds nothing left to do
                delete from timers t
                 where (t.execution_id, t.timer_id) in (
                        select x.execution_id, x.timer_id from timers x join fenced f on x.execution_id = f.execution_id
                         where f.closing
                         for update of x skip locked)
            )
            select f.execution_id, f.workflow, f.ready_at is not null as ready, 0 as woke_others,
                   cast('{}' as text[]) as child_workflows, false as chained
              from fenced f
            union all
            select c.execution_id, null, false, 0, cast('{}' as text[]), true
              from current_invocation c join input i on i.execution_id = c.execution_id
             where i.closing and c.chained
            """.formatted(OperationUpsertSql.OPS_INSERT, OperationUpsertSql.combinedValues(),
                    OperationUpsertSql.OPS_ON_CONFLICT, LockOrder.after("parents_first"), LeaseSql.RELEASE,
                    HistorySql.INSERT_OPERATION_EVENTS, HistorySql.isoText("f.invocation_started_at")), Map.of(
            "RUNNING", LifecycleSql.RUNNING,
            "INVOCATION_COMPLETED", LifecycleSql.INVOCATION_COMPLETED));

    static final String COMPLETE = CheckpointStatements.body(COMPLETE_FENCE, INVOCATION_COMPLETED_DETAILS,
            COMPLETE_CHILD_CLOSE);

    private CompletionStatements() {
    }
}
