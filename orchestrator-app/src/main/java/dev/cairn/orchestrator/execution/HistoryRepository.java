package dev.cairn.orchestrator.execution;

import static dev.cairn.orchestrator.sql.SqlTypes.instant;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads an execution's history; {@code seq} is the event's rank (1..n) within its execution. */
@Repository
public class HistoryRepository {

    private static final String PAGE = """
            select seq, type, occurred_at, operation_id, name, details
              from (select row_number() over (order by event_id) as seq, type, occurred_at, operation_id, name,
                           details
                      from history_events
                     where execution_id = :id) h
             where %s
             order by seq %s
             limit :limit
            """;

    private final JdbcClient jdbc;

    public HistoryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Events after (or, reversed, before) the sequence number {@code from}; null starts at the beginning (or end).
     */
    public List<HistoryEventView> page(UUID executionId, Long from, boolean reverse, int limit) {
        String where = from == null ? "true" : reverse ? "seq < :from" : "seq > :from";
        var spec = jdbc.sql(PAGE.formatted(where, reverse ? "desc" : "asc"))
                .param("id", executionId)
                .param("limit", limit);
        if (from != null) {
            spec = spec.param("from", from);
        }
        return spec.query((rs, n) -> new HistoryEventView(rs.getLong("seq"), rs.getString("type"),
                        instant(rs, "occurred_at"), rs.getString("operation_id"), rs.getString("name"),
                        rs.getString("details")))
                .list();
    }
}
