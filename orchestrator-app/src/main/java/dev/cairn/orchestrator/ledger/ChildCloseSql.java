package dev.cairn.orchestrator.ledger;

import dev.cairn.protocol.Cause;
import dev.cairn.protocol.ExecutionStatus;
import dev.cairn.protocol.Lifecycle;
import dev.cairn.protocol.OperationType;
import java.util.List;
import java.util.Map;

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
        return CTES.replace("<SKIP_PARENTS>", skipParents).replace("<READY_PARENTS>", readyParents);
    }

    private static final List<Cause> CHILD_CLOSES =
            List.of(Cause.CHILD_SUCCEEDED, Cause.CHILD_FAILED, Cause.CHILD_TIMED_OUT, Cause.CHILD_STOPPED);

    /** The CTEs with the lifecycle rendered, the two queries still to fill. */
    private static final String CTES = LifecycleSql.fill("""
            parents_ready as (
                update executions p set ready_at = coalesce(p.ready_at, :now)
                  from (select distinct parent_execution_id from closed_children) c
                 where p.execution_id = c.parent_execution_id and p.status = ${RUNNING}
                   and p.execution_id not in (<SKIP_PARENTS>)
                returning p.execution_id
            ), parent_ops as (
                update operations o
                   set status = ${NEXT}, ended_at = :now,
                       result = case when c.status = ${CHILD_SUCCEEDED} then c.result else o.result end,
                       error = case when c.status = ${CHILD_FAILED} then c.error else o.error end
                  from closed_children c
                 where o.execution_id = c.parent_execution_id and o.operation_id = c.parent_operation_id
                   and o.type = ${CHAINED_INVOKE} and o.status = ${REQUIRES}
                   and (c.parent_execution_id in (select execution_id from parents_ready)
                        or c.parent_execution_id in (<READY_PARENTS>))
                returning o.execution_id, o.operation_id, o.name, o.status, o.error, c.execution_id as child_id
            ), parent_events as (
                ${OPERATION_EVENTS}
                select execution_id, ${EVENT},
                       :now, operation_id, name,
                       json_strip_nulls(json_build_object(
                           'childExecutionId', child_id,
                           'error', case when status = ${OPERATION_FAILED} then cast(error as json) end))::text
                  from parent_ops
            )""", Map.of(
            "RUNNING", LifecycleSql.RUNNING,
            "NEXT", LifecycleSql.childClosed("c.status", false),
            "CHILD_SUCCEEDED", LifecycleSql.literal(ExecutionStatus.SUCCEEDED),
            "CHILD_FAILED", LifecycleSql.literal(ExecutionStatus.FAILED),
            "CHAINED_INVOKE", LifecycleSql.literal(OperationType.CHAINED_INVOKE),
            "REQUIRES", LifecycleSql.requires(OperationType.CHAINED_INVOKE, Cause.CHILD_SUCCEEDED),
            "OPERATION_EVENTS", HistorySql.INSERT_OPERATION_EVENTS,
            "EVENT", Lifecycle.sqlCase("status", Lifecycle.outcomeEvents(OperationType.CHAINED_INVOKE, CHILD_CLOSES)),
            "OPERATION_FAILED", LifecycleSql.next(OperationType.CHAINED_INVOKE, Cause.CHILD_FAILED)));

    /** A query of no execution ids, for {@link #ctes}. */
    static final String NONE = "select cast(null as uuid) where false";
}
