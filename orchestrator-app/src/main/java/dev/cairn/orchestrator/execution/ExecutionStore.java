package dev.cairn.orchestrator.execution;

import static dev.cairn.orchestrator.sql.SqlTypes.at;
import static dev.cairn.orchestrator.sql.SqlTypes.instant;

import dev.cairn.protocol.ExecutionStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads executions (the ledger writes them). */
@Repository
public class ExecutionStore {

    private static final String COLUMNS = """
            execution_id, execution_name, workflow, version, status, input, result, error, started_at, ended_at,
            timeout_at, parent_execution_id
            """;

    private static final String FIND = "select " + COLUMNS + " from executions where execution_id = :id";

    private static final String FIND_BY_NAME = "select " + COLUMNS
            + " from executions where workflow = :workflow and execution_name = :name";

    private static final String EXISTS = "select exists (select 1 from executions where execution_id = :id)";

    private static final String LIST = """
            select execution_id, execution_name, workflow, version, status, started_at, ended_at
              from executions
             where (cast(:workflow as text) is null or workflow = :workflow)
               and (cardinality(cast(:statuses as text[])) = 0 or status = any(cast(:statuses as text[])))
               and (cast(:name as text) is null or execution_name = :name)
               and (cast(:after as timestamptz) is null or started_at >= :after)
               and (cast(:before as timestamptz) is null or started_at < :before)
               and (cast(:keyAt as timestamptz) is null or (started_at, execution_id) %s (:keyAt, :keyId))
             order by started_at %s, execution_id %s
             limit :limit
            """;

    private final JdbcClient jdbc;

    public ExecutionStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<ExecutionView> find(UUID executionId) {
        return jdbc.sql(FIND).param("id", executionId).query(ExecutionStore::view).optional();
    }

    public Optional<ExecutionView> findByName(String workflow, String executionName) {
        return jdbc.sql(FIND_BY_NAME).param("workflow", workflow).param("name", executionName)
                .query(ExecutionStore::view).optional();
    }

    public boolean exists(UUID executionId) {
        return Boolean.TRUE.equals(jdbc.sql(EXISTS).param("id", executionId).query(Boolean.class).single());
    }

    /** A page of executions after the keyset position {@code (keyAt, keyId)}, newest or oldest first. */
    public List<ExecutionSummary> list(ExecutionFilter filter, Instant keyAt, UUID keyId, int limit) {
        String direction = filter.ascending() ? "asc" : "desc";
        String sql = LIST.formatted(filter.ascending() ? ">" : "<", direction, direction);
        return jdbc.sql(sql)
                .param("workflow", filter.workflow())
                .param("statuses", filter.statuses().stream().map(Enum::name).toArray(String[]::new))
                .param("name", filter.executionName())
                .param("after", at(filter.startedAfter()))
                .param("before", at(filter.startedBefore()))
                .param("keyAt", at(keyAt))
                .param("keyId", keyId)
                .param("limit", limit)
                .query((rs, n) -> new ExecutionSummary(rs.getObject("execution_id", UUID.class),
                        rs.getString("execution_name"), rs.getString("workflow"), rs.getString("version"),
                        ExecutionStatus.valueOf(rs.getString("status")), instant(rs, "started_at"),
                        instant(rs, "ended_at")))
                .list();
    }

    private static ExecutionView view(ResultSet rs, int row) throws SQLException {
        return new ExecutionView(
                rs.getObject("execution_id", UUID.class),
                rs.getString("execution_name"),
                rs.getString("workflow"),
                rs.getString("version"),
                ExecutionStatus.valueOf(rs.getString("status")),
                rs.getString("input"),
                rs.getString("result"),
                rs.getString("error"),
                instant(rs, "started_at"),
                instant(rs, "ended_at"),
                instant(rs, "timeout_at"),
                rs.getObject("parent_execution_id", UUID.class));
    }
}
