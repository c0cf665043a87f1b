package dev.cairn.orchestrator.ledger;

/**
 * The SQL that records, in the same statement, the close of chained child executions in their parents: the
 * parent's CHAINED_INVOKE operation becomes SUCCEEDED (with the child's result), FAILED (with the child's error),
 * TIMED_OUT or STOPPED, with {@code ChainedInvokeSucceeded/Failed/TimedOut/Stopped}, and the parent becomes ready
 * (the caller tells the other replicas, see {@code Wakeups#tellReplicas}, when {@code parents_ready} has rows).
 *
 * <p>The statement using it defines a CTE {@code closed_children (execution_id, parent_execution_id,
 * parent_operation_id, status, result, error)} and binds {@code :now}; the fragment defines {@code parents_ready},
 * {@code parent_ops} and {@code parent_events}.
 * The parent's execution row is locked before its operation row, the order every other writer uses; and the
 * statement must have locked the parent's row before the child's (the lock order: an execution before its
 * children), as the completion, timer and stop statements do.
 */
final class ChildCloseSql {

    private ChildCloseSql() {
    }

    /**
     * The CTEs (without a leading comma).
     *
     * @param skipParents a query of execution ids whose executions row this statement already writes (each row may
     *     be written once per statement): they are not made ready here
     * @param readyParents a query of execution ids this statement already makes ready: their operation is still
     *     recorded
     */
    static String ctes(String skipParents, String readyParents) {
        return """
                parents_ready as (
                    update executions p set ready_at = coalesce(p.ready_at, :now)
                      from (select distinct parent_execution_id from closed_children) c
                     where p.execution_id = c.parent_execution_id and p.status = 'RUNNING'
                       and p.execution_id not in (%s)
                    returning p.execution_id
                ), parent_ops as (
                    update operations o
                       set status = c.status, ended_at = :now,
                           result = case when c.status = 'SUCCEEDED' then c.result else o.result end,
                           error = case when c.status = 'FAILED' then c.error else o.error end
                      from closed_children c
                     where o.execution_id = c.parent_execution_id and o.operation_id = c.parent_operation_id
                       and o.type = 'CHAINED_INVOKE' and o.status = 'STARTED'
                       and (c.parent_execution_id in (select execution_id from parents_ready)
                            or c.parent_execution_id in (%s))
                    returning o.execution_id, o.operation_id, o.name, o.status, o.error, c.execution_id as child_id
                ), parent_events as (
                    %s
                    select execution_id,
                           case status when 'SUCCEEDED' then 'ChainedInvokeSucceeded'
                                       when 'FAILED' then 'ChainedInvokeFailed'
                                       when 'TIMED_OUT' then 'ChainedInvokeTimedOut'
                                       else 'ChainedInvokeStopped' end,
                           :now, operation_id, name,
                           json_strip_nulls(json_build_object(
                               'childExecutionId', child_id,
                               'error', case when status = 'FAILED' then cast(error as json) end))::text
                      from parent_ops
                )""".formatted(skipParents, readyParents, HistorySql.INSERT_OPERATION_EVENTS);
    }

    /** A query of no execution ids, for {@link #ctes}. */
    static final String NONE = "select cast(null as uuid) where false";
}
