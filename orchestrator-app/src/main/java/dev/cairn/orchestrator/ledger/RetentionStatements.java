package dev.cairn.orchestrator.ledger;

import static dev.cairn.orchestrator.sql.SqlTypes.at;

import java.time.Instant;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Deletes closed executions whose retention ran out ({@code expires_at}, set when they closed: ended + retention
 * days), with everything they own (operations, history, timers, through their cascading foreign keys), a bounded
 * batch per statement. Found by the partial index {@code ix_executions_expires_at}, oldest expiry first; rows another
 * replica is deleting are skipped ({@code FOR UPDATE SKIP LOCKED}).
 */
final class RetentionStatements {

    static final String DELETE_EXPIRED = LifecycleSql.fill("""
            with expired as (
                select execution_id from executions
                 where expires_at <= :now and status <> ${RUNNING}
                 order by expires_at
                 limit :limit
                 for update skip locked
            ), deleted as (
                delete from executions e using expired x
                 where e.execution_id = x.execution_id
                returning e.execution_id
            )
            select count(*) from deleted
            """, Map.of("RUNNING", LifecycleSql.RUNNING));

    private final JdbcClient jdbc;

    RetentionStatements(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    int deleteExpired(Instant now, int limit) {
        return jdbc.sql(DELETE_EXPIRED).param("now", at(now)).param("limit", limit).query(Integer.class).single();
    }
}
