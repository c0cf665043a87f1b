package dev.cairn.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for autovacuum when the server runs without it ({@code autovacuum = off}, as on a CI machine): a
 * production PostgreSQL vacuums and analyzes Cairn's busy tables on its own, which keeps their indexes free of dead
 * entries and the planner's statistics (hence the orchestrator's cached plans) in step with their size. Without it
 * every figure would degrade with the run's length. Runs {@code VACUUM (ANALYZE)} on those tables every
 * {@code everyS} seconds on its own connection, in this JVM; its CPU is the server's, counted with it.
 */
final class Vacuumer implements AutoCloseable {

    private static final String TABLES = "executions, operations, history_events, timers, workers";
    /** The tables DBOS Transact, the peer, writes per workflow and per step. */
    static final String DBOS_TABLES = "dbos.workflow_status, dbos.operation_outputs";

    private final Thread thread;
    private final AtomicLong passes = new AtomicLong();
    private volatile boolean running = true;

    private Vacuumer(Db db, long everyS, String tables) {
        thread = new Thread(() -> loop(db, everyS, tables), "bench-vacuum-" + db.name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts one when the server's autovacuum is off and {@code everyS} > 0; else null. */
    static Vacuumer startIfNeeded(Db db, long everyS) throws SQLException {
        return startIfNeeded(db, everyS, TABLES);
    }

    /** The same for other tables (the peer's, in its database). */
    static Vacuumer startIfNeeded(Db db, long everyS, String tables) throws SQLException {
        if (everyS <= 0) {
            return null;
        }
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("show autovacuum")) {
            rs.next();
            if (!"off".equals(rs.getString(1))) {
                return null;
            }
        }
        System.out.println("[bench] the server runs without autovacuum: VACUUM (ANALYZE) " + tables + " every "
                + everyS + " s in its place (--vacuum-every-s)");
        return new Vacuumer(db, everyS, tables);
    }

    long passes() {
        return passes.get();
    }

    private void loop(Db db, long everyS, String tables) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            while (running) {
                TimeUnit.SECONDS.sleep(everyS);
                s.execute("vacuum (analyze) " + tables);
                passes.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            if (running) {
                System.out.println("[bench] vacuum stopped: " + e.getMessage());
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(30_000);
    }
}
