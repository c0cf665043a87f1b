package dev.cairn.orchestrator.execution;

import static dev.cairn.orchestrator.sql.SqlTypes.instant;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads an execution's operations in start order, for the REST API. */
@Repository
public class OperationRepository {

    private static final String PAGE = """
            select operation_id, parent_id, type, sub_type, name, status, attempt, start_seq, started_at, ended_at,
                   result, error, scheduled_end_at, next_attempt_at, callback_id, child_execution_id
              from operations
             where execution_id = :id and start_seq > :after
             order by start_seq
             limit :limit
            """;

    private final JdbcClient jdbc;

    public OperationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Operations whose start sequence is after {@code afterSeq}; each paired with that sequence. */
    public List<Positioned<OperationView>> page(UUID executionId, long afterSeq, int limit) {
        return jdbc.sql(PAGE).param("id", executionId).param("after", afterSeq).param("limit", limit)
                .query((rs, n) -> {
                    String type = rs.getString("type");
                    Integer attempt = (Integer) rs.getObject("attempt");
                    if ("STEP".equals(type) && attempt == null) {
                        attempt = 1;
                    } else if (!"STEP".equals(type)) {
                        attempt = null;
                    }
                    return new Positioned<>(rs.getLong("start_seq"), OperationView.of(
                            rs.getString("operation_id"), rs.getString("parent_id"), type, rs.getString("sub_type"),
                            rs.getString("name"), rs.getString("status"), attempt, instant(rs, "started_at"),
                            instant(rs, "ended_at"), rs.getString("result"), rs.getString("error"),
                            instant(rs, "scheduled_end_at"), instant(rs, "next_attempt_at"),
                            rs.getString("callback_id"), rs.getObject("child_execution_id", UUID.class)));
                })
                .list();
    }
}
