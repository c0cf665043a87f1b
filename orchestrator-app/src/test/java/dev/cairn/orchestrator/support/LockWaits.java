package dev.cairn.orchestrator.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Waits until other sessions of the test's database are blocked on locks (row, transaction, tuple or advisory
 * locks), so that a test knows a statement it started on another thread has reached its lock wait.
 */
public final class LockWaits {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private LockWaits() {
    }

    /** Waits until at least {@code sessions} sessions of this database wait for a lock. */
    public static void awaitWaiting(JdbcClient sql, int sessions) {
        await().atMost(PATIENCE).until(() -> waiting(sql) >= sessions);
    }

    /** How many sessions of this database wait for a lock now. */
    public static long waiting(JdbcClient sql) {
        return sql.sql("""
                select count(*) from pg_stat_activity
                 where datname = current_database() and wait_event_type = 'Lock'
                """).query(Long.class).single();
    }
}
