package dev.cairn.orchestrator.support;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Executions, operations and timers written straight into the tables, in the state a test needs, and read back:
 * for SQL-level tests that drive the stores without an orchestrator around them.
 */
public final class ExecutionRows {

    private final JdbcClient sql;

    public ExecutionRows(JdbcClient sql) {
        this.sql = sql;
    }

    /** An execution that runs an invocation now: leased, with its token. */
    public record Invoked(UUID executionId, UUID token) {
    }

    /** A RUNNING execution that no worker runs, ready at {@code readyAt} (null: not ready). */
    public UUID idle(String workflow, Instant readyAt) {
        UUID id = UUID.randomUUID();
        sql.sql("""
                insert into executions (execution_id, workflow, version, status, input, started_at, ready_at)
                values (:id, :workflow, '1', 'RUNNING', '{}', now(), :readyAt)
                """).param("id", id).param("workflow", workflow)
                .param("readyAt", readyAt == null ? null : readyAt.atOffset(ZoneOffset.UTC)).update();
        return id;
    }

    /** A RUNNING execution, not a chained child, running an invocation now. */
    public Invoked invoked(String workflow) {
        UUID id = UUID.randomUUID();
        UUID token = UUID.randomUUID();
        sql.sql("""
                insert into executions (execution_id, workflow, version, status, input, started_at, invocation_token,
                                        lease_expires_at, invocation_started_at, worker_id)
                values (:id, :workflow, '1', 'RUNNING', '{}', now(), :token, now() + interval '1 hour', now(), 'w')
                """).param("id", id).param("workflow", workflow).param("token", token).update();
        return new Invoked(id, token);
    }

    /** A RUNNING chained child of {@code parent}'s operation {@code parentOperation}, running an invocation now. */
    public Invoked invokedChild(UUID parent, String parentOperation, String workflow) {
        UUID id = UUID.randomUUID();
        UUID token = UUID.randomUUID();
        sql.sql("""
                insert into executions (execution_id, workflow, version, status, input, started_at, invocation_token,
                                        lease_expires_at, invocation_started_at, worker_id, parent_execution_id,
                                        parent_operation_id)
                values (:id, :workflow, '1', 'RUNNING', '{}', now(), :token, now() + interval '1 hour', now(), 'w',
                        :parent, :parentOperation)
                """).param("id", id).param("workflow", workflow).param("token", token).param("parent", parent)
                .param("parentOperation", parentOperation).update();
        return new Invoked(id, token);
    }

    /** An operation of {@code execution}, started now. */
    public void operation(UUID execution, String id, String type, String status) {
        operation(execution, id, type, status, null, null);
    }

    /** An operation of {@code execution} with its callback id or chained child (either may be null). */
    public void operation(UUID execution, String id, String type, String status, String callbackId, UUID child) {
        sql.sql("""
                insert into operations (execution_id, operation_id, type, sub_type, name, status, started_at,
                                        callback_id, child_execution_id)
                values (:execution, :id, :type, :type, :name, :status, now(), :callbackId, :child)
                """).param("execution", execution).param("id", id).param("type", type).param("name", "op-" + id)
                .param("status", status).param("callbackId", callbackId).param("child", child).update();
    }

    /** A timer of {@code execution} for its operation {@code operationId} (null for EXECUTION_TIMEOUT). */
    public void timer(UUID execution, String timerId, String kind, Instant dueAt, String operationId) {
        sql.sql("""
                insert into timers (execution_id, timer_id, kind, due_at, operation_id)
                values (:execution, :timerId, :kind, :dueAt, :operationId)
                """).param("execution", execution).param("timerId", timerId).param("kind", kind)
                .param("dueAt", dueAt.atOffset(ZoneOffset.UTC)).param("operationId", operationId).update();
    }

    public String status(UUID execution) {
        return sql.sql("select status from executions where execution_id = :id").param("id", execution)
                .query(String.class).single();
    }

    public String operationStatus(UUID execution, String operationId) {
        return sql.sql("select status from operations where execution_id = :id and operation_id = :op")
                .param("id", execution).param("op", operationId).query(String.class).single();
    }

    /** Whether the execution wants an invocation. */
    public boolean ready(UUID execution) {
        return sql.sql("select ready_at is not null from executions where execution_id = :id")
                .param("id", execution).query(Boolean.class).single();
    }

    /** The types of the execution's history events, oldest first. */
    public List<String> historyTypes(UUID execution) {
        return sql.sql("select type from history_events where execution_id = :id order by event_id")
                .param("id", execution).query(String.class).list();
    }

    /** The kinds of the execution's timers. */
    public List<String> timerKinds(UUID execution) {
        return sql.sql("select kind from timers where execution_id = :id order by timer_id").param("id", execution)
                .query(String.class).list();
    }
}
