package dev.cairn.orchestrator.metrics;

import static dev.cairn.orchestrator.sql.SqlTypes.at;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads what the gauges show, in one query: running executions per workflow, the ready backlog, live workers. */
@Repository
public class GaugeStore {

    private static final String READ = """
            select 'running' as kind, v.workflow,
                   (select count(*) from executions e where e.workflow = v.workflow and e.status = 'RUNNING') as n
              from (select distinct workflow from workflow_versions) v
            union all
            select 'backlog', null, count(*) from executions
             where status = 'RUNNING' and ready_at <= :now and lease_expires_at is null
            union all
            select 'live', null, count(*) from workers where last_heartbeat_at >= :liveSince
            """;

    private final JdbcClient jdbc;

    public GaugeStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * What the gauges show now.
     *
     * @param running running executions by workflow (every workflow ever registered, 0 included)
     * @param readyBacklog executions ready for an invocation that none runs yet
     * @param liveWorkers workers whose last heartbeat is recent enough
     */
    public record Gauges(Map<String, Long> running, long readyBacklog, long liveWorkers) {
    }

    public Gauges read(Instant now, Instant liveSince) {
        Map<String, Long> running = new LinkedHashMap<>();
        long[] backlog = {0};
        long[] live = {0};
        jdbc.sql(READ).param("now", at(now)).param("liveSince", at(liveSince)).query(rs -> {
            switch (rs.getString("kind")) {
                case "running" -> running.put(rs.getString("workflow"), rs.getLong("n"));
                case "backlog" -> backlog[0] = rs.getLong("n");
                default -> live[0] = rs.getLong("n");
            }
        });
        return new Gauges(running, backlog[0], live[0]);
    }
}
