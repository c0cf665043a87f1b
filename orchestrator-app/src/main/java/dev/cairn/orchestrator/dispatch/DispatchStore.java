package dev.cairn.orchestrator.dispatch;

import static dev.cairn.orchestrator.sql.SqlTypes.at;
import static dev.cairn.orchestrator.sql.SqlTypes.instant;
import static dev.cairn.orchestrator.sql.SqlTypes.textArray;

import dev.cairn.orchestrator.json.PayloadJson;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.WorkflowRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Claims ready executions, records which worker runs them, loads their operation log and releases claims. */
@Repository
public class DispatchStore {

    private static final String CLAIM = """
            update executions e
               set invocation_token = gen_random_uuid(), lease_expires_at = :leaseUntil, ready_at = null,
                   worker_id = null, invocation_started_at = :now
              from (select x.execution_id, x.ready_at from executions x
                     where x.status = 'RUNNING' and x.ready_at <= :now and x.lease_expires_at is null
                       and (x.workflow, x.version) in (
                            select w, v from unnest(cast(:workflows as text[]), cast(:versions as text[])) as p(w, v))
                     order by x.ready_at
                     for update skip locked
                     limit :limit) c
             where e.execution_id = c.execution_id
            returning e.execution_id, e.invocation_token, e.workflow, e.version, e.input, e.started_at,
                      c.ready_at as was_ready_at
            """;

    private static final String ASSIGN = """
            update executions e set worker_id = a.worker_id
              from unnest(cast(cast(:ids as text[]) as uuid[]), cast(cast(:tokens as text[]) as uuid[]),
                          cast(:workers as text[])) as a(execution_id, token, worker_id)
             where e.execution_id = a.execution_id and e.invocation_token = a.token
            """;

    private static final String OPERATIONS = """
            select execution_id, operation_id, parent_id, type, sub_type, name, status, attempt, started_at, ended_at,
                   result, error, scheduled_end_at, next_attempt_at, callback_id, child_execution_id
              from operations
             where execution_id = any(cast(cast(:ids as text[]) as uuid[]))
             order by execution_id, start_seq
            """;

    private static final String RELEASE = """
            update executions
               set invocation_token = null, lease_expires_at = null, worker_id = null, invocation_started_at = null,
                   ready_at = least(coalesce(ready_at, :readyAt), :readyAt)
             where execution_id = :id and invocation_token = :token and status = 'RUNNING'
            """;

    private final JdbcClient jdbc;
    private final PayloadJson json;

    public DispatchStore(JdbcClient jdbc, PayloadJson json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Claims up to {@code limit} ready executions of the given workflow versions, oldest ready first. */
    public List<Claim> claim(Collection<WorkflowRef> servable, Instant now, Instant leaseUntil, int limit) {
        return jdbc.sql(CLAIM)
                .param("now", at(now))
                .param("leaseUntil", at(leaseUntil))
                .param("workflows", textArray(servable.stream().map(WorkflowRef::name).toList()))
                .param("versions", textArray(servable.stream().map(WorkflowRef::version).toList()))
                .param("limit", limit)
                .query((rs, n) -> new Claim(rs.getObject("execution_id", UUID.class),
                        rs.getObject("invocation_token", UUID.class), rs.getString("workflow"),
                        rs.getString("version"), rs.getString("input"), instant(rs, "started_at"),
                        instant(rs, "was_ready_at")))
                .list();
    }

    /** Records the worker of each claimed execution (for capacity counts and {@code InvocationCompleted}). */
    public void assign(List<Assignment> assignments) {
        if (assignments.isEmpty()) {
            return;
        }
        jdbc.sql(ASSIGN)
                .param("ids", textArray(assignments.stream().map(a -> a.claim().executionId().toString()).toList()))
                .param("tokens", textArray(assignments.stream().map(a -> a.claim().token().toString()).toList()))
                .param("workers", textArray(assignments.stream().map(a -> a.worker().workerId()).toList()))
                .update();
    }

    /** The operation logs of the executions, each in start order. */
    public Map<UUID, List<OperationRecord>> operations(Collection<UUID> executionIds) {
        Map<UUID, List<OperationRecord>> byExecution = new HashMap<>();
        if (executionIds.isEmpty()) {
            return byExecution;
        }
        jdbc.sql(OPERATIONS)
                .param("ids", textArray(executionIds.stream().map(UUID::toString).toList()))
                .query(rs -> {
                    UUID id = rs.getObject("execution_id", UUID.class);
                    byExecution.computeIfAbsent(id, k -> new ArrayList<>()).add(new OperationRecord(
                            rs.getString("operation_id"), rs.getString("parent_id"),
                            OperationType.valueOf(rs.getString("type")), rs.getString("sub_type"),
                            rs.getString("name"), OperationStatus.valueOf(rs.getString("status")),
                            (Integer) rs.getObject("attempt"), instant(rs, "started_at"), instant(rs, "ended_at"),
                            rs.getString("result"), json.errorInfo(rs.getString("error")),
                            instant(rs, "scheduled_end_at"), instant(rs, "next_attempt_at"),
                            rs.getString("callback_id"), rs.getString("child_execution_id")));
                });
        return byExecution;
    }

    /**
     * Gives a claim up without an invocation having run: the execution is ready again at {@code readyAt}.
     *
     * @return false when the claim was no longer current
     */
    public boolean release(UUID executionId, UUID token, Instant readyAt) {
        return jdbc.sql(RELEASE)
                .param("id", executionId)
                .param("token", token)
                .param("readyAt", at(readyAt))
                .update() > 0;
    }
}
