package dev.cairn.orchestrator.ledger;

import static dev.cairn.orchestrator.sql.SqlTypes.at;
import static dev.cairn.orchestrator.sql.SqlTypes.textArray;

import dev.cairn.protocol.Cause;
import dev.cairn.protocol.ExecutionCause;
import dev.cairn.protocol.ExecutionStatus;
import dev.cairn.protocol.OperationType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stops executions. One transaction that takes its locks in the lock order (an execution before its children, see
 * the module README): the stopped execution's parent when it is a chained child (its operation learns the stop),
 * then the execution, then its running chained descendants level by level, each level in a new statement once the
 * level above is locked. A chained child is started only by a checkpoint of its parent, which holds the parent's
 * row until it commits; so each level's statement, with a snapshot taken after the level above is locked, sees
 * every child started so far, and no other can start before the stop commits. Then one statement stops them all:
 * STOPPED, token and lease cleared (their workers' next calls get 409), open steps, contexts and chained invokes
 * STOPPED, waits and callbacks CANCELLED, timers deleted, {@code ExecutionStopped}; and when the stopped execution
 * is itself a chained child, its parent's operation becomes STOPPED ({@code ChainedInvokeStopped}) and the parent
 * ready.
 */
final class StopStatements {

    /** Locks the execution, after its parent if it has one, and answers its status. */
    static final String LOCK = """
            with parent as materialized (
                select p.execution_id from executions p
                 where p.execution_id = (select x.parent_execution_id from executions x where x.execution_id = :id)
                 for no key update
            )
            select e.status from executions e
             where e.execution_id = :id and %s
             for no key update
            """.formatted(LockOrder.after("parent"));

    /** Locks the running chained children of a level of the tree, in id order, and answers them. */
    static final String LOCK_CHILDREN = """
            select execution_id from executions
             where parent_execution_id = any(cast(cast(:parents as text[]) as uuid[])) and status = %s
             order by execution_id
             for no key update
            """.formatted(LifecycleSql.RUNNING);

    static final String STOP = LifecycleSql.fill("""
            with tree (execution_id) as (
                select unnest(cast(cast(:tree as text[]) as uuid[]))
            ), stopped as (
                update executions e
                   set status = ${STOPPED}, ended_at = :now,
                       error = case when e.execution_id = :id then cast(:error as text) else e.error end,
                       ready_at = null, ${RELEASE}
                  from tree t
                 where e.execution_id = t.execution_id and e.status = ${RUNNING}
                returning e.execution_id, e.parent_execution_id, e.parent_operation_id, e.error, e.workflow
            ), stopped_events as (
                ${EXECUTION_EVENTS}
                select execution_id, ${STOPPED_EVENT}, :now,
                       json_strip_nulls(json_build_object(
                           'error', cast(error as json),
                           'stoppedWith', case when execution_id <> :id then cast(:id as uuid) end))::text
                  from stopped
            ), ops as (
                update operations o
                   set status = ${OPERATION_NEXT},
                       ended_at = :now
                  from stopped s
                 where o.execution_id = s.execution_id and o.status in ${OPEN}
                returning o.execution_id, o.operation_id, o.name, o.type, o.child_execution_id
            ), op_events as (
                ${OPERATION_EVENTS}
                select execution_id, ${OPERATION_EVENT}, :now,
                       operation_id, name,
                       case when type = ${CHAINED_INVOKE}
                            then json_build_object('childExecutionId', child_execution_id)::text end
                  from ops where type in ${TYPES_WITH_EVENT}
            ), timers_gone as (
                delete from timers t
                 where (t.execution_id, t.timer_id) in (
                        select x.execution_id, x.timer_id from timers x join stopped s on x.execution_id = s.execution_id
                         for update of x skip locked)
            ), closed_children as (
                select execution_id, parent_execution_id, parent_operation_id, ${STOPPED} as status,
                       cast(null as text) as result, cast(null as text) as error
                  from stopped where execution_id = :id and parent_execution_id is not null
            ), ${CHILD_CLOSE}
            select (select count(*) from stopped where execution_id = :id) as root_stopped,
                   (select count(*) from stopped) as stopped,
                   (select coalesce(array_agg(workflow), '{}') from stopped) as workflows,
                   (select coalesce(array_agg(execution_id), '{}') from stopped) as stopped_ids,
                   (select count(*) from parents_ready) as parents_ready
            """, Map.ofEntries(
            Map.entry("STOPPED", LifecycleSql.executionStatus(ExecutionCause.STOPPED)),
            Map.entry("STOPPED_EVENT", LifecycleSql.executionEvent(ExecutionCause.STOPPED)),
            Map.entry("RUNNING", LifecycleSql.RUNNING),
            Map.entry("RELEASE", LeaseSql.RELEASE),
            Map.entry("OPEN", LifecycleSql.OPEN),
            Map.entry("OPERATION_NEXT", LifecycleSql.nextByType("o.type", Cause.EXECUTION_STOPPED)),
            Map.entry("OPERATION_EVENT", LifecycleSql.eventByType("type", Cause.EXECUTION_STOPPED)),
            Map.entry("TYPES_WITH_EVENT", LifecycleSql.typesWithEvent(Cause.EXECUTION_STOPPED)),
            Map.entry("CHAINED_INVOKE", LifecycleSql.literal(OperationType.CHAINED_INVOKE)),
            Map.entry("EXECUTION_EVENTS", HistorySql.INSERT_EXECUTION_EVENTS),
            Map.entry("OPERATION_EVENTS", HistorySql.INSERT_OPERATION_EVENTS),
            Map.entry("CHILD_CLOSE", ChildCloseSql.ctes("select execution_id from stopped", ChildCloseSql.NONE))));

    private static final String RUNNING = ExecutionStatus.RUNNING.name();

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    StopStatements(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    Optional<StopResult> stop(UUID executionId, String error, Instant now) {
        return transactions.execute(tx -> {
            Optional<String> status = jdbc.sql(LOCK).param("id", executionId).query(String.class).optional();
            if (status.isEmpty() || !RUNNING.equals(status.get())) {
                return status.map(s -> new StopResult(s, List.of(), false, List.of()));
            }
            List<String> tree = new ArrayList<>();
            List<String> level = List.of(executionId.toString());
            while (!level.isEmpty()) {
                tree.addAll(level);
                level = jdbc.sql(LOCK_CHILDREN).param("parents", textArray(level)).query(String.class).list();
            }
            return Optional.of(jdbc.sql(STOP)
                    .param("id", executionId)
                    .param("tree", textArray(tree))
                    .param("error", error)
                    .param("now", at(now))
                    .query((rs, n) -> new StopResult(RUNNING,
                            List.of((String[]) rs.getArray("workflows").getArray()), rs.getLong("parents_ready") > 0,
                            List.of((UUID[]) rs.getArray("stopped_ids").getArray())))
                    .single());
        });
    }
}
