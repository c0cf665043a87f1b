package dev.cairn.orchestrator.commit;

import dev.cairn.orchestrator.sql.GenericPlans;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * Writes one batch of {@link GroupCommit}'s jobs, on a connection of its own, and gives each job its outcome (see
 * {@link GroupCommit} for what each outcome means): one job alone in autocommit; several in one transaction (runs of
 * combinable ones in one statement), written again without a job whose statement failed, which then runs alone in a
 * transaction of its own. A connection goes back to autocommit only after its transaction ended.
 */
final class BatchWriter {

    private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

    private final DataSource dataSource;
    private final SQLExceptionTranslator translator;
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong statements = new AtomicLong();

    BatchWriter(DataSource dataSource, SQLExceptionTranslator translator) {
        this.dataSource = dataSource;
        this.translator = translator;
    }

    long transactions() {
        return transactions.get();
    }

    long requests() {
        return requests.get();
    }

    long statements() {
        return statements.get();
    }

    /** Writes the batch, on as many connections as its failures need, and gives each of its jobs its outcome. */
    void write(List<Job<?>> batch) {
        requests.addAndGet(batch.size());
        List<Job<?>> pending = BatchOrder.byKind(batch);
        List<Job<?>> failed = new ArrayList<>();
        boolean combine = true;
        while (pending.size() > 1) {
            Attempt attempt = together(pending, combine);
            if (attempt instanceof Attempt.JobFailed f) {
                failed.add(pending.get(f.at()));
                pending = new ArrayList<>(pending);
                pending.remove(f.at());
            } else if (attempt instanceof Attempt.CombinedFailed) {
                // write them again one statement each, which tells which one fails
                combine = false;
            } else {
                pending = List.of();
            }
        }
        for (Job<?> j : pending) {
            alone(j);
        }
        for (Job<?> j : failed) {
            if (together(List.of(j), false) instanceof Attempt.JobFailed f) {
                j.failed(failure(f.failure()));
            }
        }
    }

    /** How an attempt to write jobs in one transaction ended. */
    private sealed interface Attempt {

        /** Every job has its outcome (written or not). */
        Attempt SETTLED = new Settled();

        record Settled() implements Attempt {
        }

        /** The statement of the job at {@code at} failed: the transaction was rolled back, no outcome set. */
        record JobFailed(int at, Throwable failure) implements Attempt {
        }

        /** A combined statement failed: the transaction was rolled back, no outcome set. */
        record CombinedFailed(Throwable failure) implements Attempt {
        }
    }

    /**
     * Writes the jobs in one transaction; with {@code combine}, runs of consecutive jobs of one {@link CombineKind}
     * (distinct keys) go in one statement each.
     */
    private Attempt together(List<Job<?>> jobs, boolean combine) {
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            failAll(jobs, new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", e));
            return Attempt.SETTLED;
        }
        transactions.incrementAndGet();
        boolean open = false;
        try {
            c.setAutoCommit(false);
            open = true;
            try (Statement s = c.createStatement()) {
                // a batch's statements run on their generic plans (see GenericPlans)
                s.execute(GenericPlans.FOR_THIS_TRANSACTION);
            }
            int i = 0;
            while (i < jobs.size()) {
                int end = combine ? BatchOrder.runEnd(jobs, i) : i + 1;
                if (end - i > 1) {
                    try {
                        statements.incrementAndGet();
                        CombinedRun.write(c, jobs.subList(i, end));
                    } catch (SQLException | RuntimeException e) {
                        log.debug("A combined statement of {} jobs failed ({}); writing them one by one", end - i,
                                e.toString());
                        open = !rollback(c);
                        return new Attempt.CombinedFailed(e);
                    }
                    i = end;
                    continue;
                }
                try {
                    statements.incrementAndGet();
                    jobs.get(i).run(c);
                } catch (SQLException | RuntimeException e) {
                    log.debug("A statement of a batch of {} failed ({}); writing the batch again without it",
                            jobs.size(), e.toString());
                    open = !rollback(c);
                    return new Attempt.JobFailed(i, e);
                }
                i++;
            }
            try {
                c.commit();
                open = false;
            } catch (SQLException e) {
                if (connectionFailed(c, e)) {
                    log.warn("The connection failed while a batch of {} committed; their outcome is unknown: {}",
                            jobs.size(), e.toString());
                    unknownAll(jobs, new WriteOutcomeUnknownException(e));
                } else {
                    failAll(jobs, translate(e));
                }
                open = !rollback(c);
                return Attempt.SETTLED;
            }
            for (Job<?> j : jobs) {
                j.committed();
            }
            return Attempt.SETTLED;
        } catch (SQLException e) {
            // before any job ran: starting the transaction failed
            failAll(jobs, translate(e));
            return Attempt.SETTLED;
        } catch (Error e) {
            log.error("A job of a batch of {} threw an error; the batch is rolled back and fails", jobs.size(), e);
            defectAll(jobs, e);
            return Attempt.SETTLED;
        } finally {
            release(c, open);
        }
    }

    /** Writes one job in autocommit (one round trip). */
    private <R> void alone(Job<R> job) {
        transactions.incrementAndGet();
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            job.failed(new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", e));
            return;
        }
        try {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            statements.incrementAndGet();
            job.written(job.work.run(c));
        } catch (SQLException e) {
            if (connectionFailed(c, e)) {
                log.warn("The connection failed while a write ran in autocommit; its outcome is unknown: {}",
                        e.toString());
                job.unknown(new WriteOutcomeUnknownException(e));
            } else {
                job.failed(translate(e));
            }
        } catch (RuntimeException | Error e) {
            // not the database's answer: its statement may have committed before it was thrown
            log.error("A write in autocommit threw; its outcome is unknown", e);
            job.unknown(new WriteOutcomeUnknownException(e));
        } finally {
            close(c);
        }
    }

    /**
     * Whether {@code e} means the connection failed (it is closed, or the database's answer never came), so that a
     * commit may or may not have happened.
     */
    private static boolean connectionFailed(Connection c, SQLException e) {
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P0"))) {
            // connection exceptions; the server shutting down or terminating the backend
            return true;
        }
        try {
            return c.isClosed();
        } catch (SQLException closed) {
            return true;
        }
    }

    /** A job's own failure as its caller gets it. */
    private RuntimeException failure(Throwable t) {
        if (t instanceof SQLException e) {
            return translate(e);
        }
        if (t instanceof RuntimeException e) {
            return e;
        }
        return new IllegalStateException(t);
    }

    private DataAccessException translate(SQLException e) {
        DataAccessException translated = translator.translate("checkpoint", null, e);
        return translated != null ? translated : new UncategorizedSQLException("checkpoint", null, e);
    }

    static void failAll(List<Job<?>> jobs, RuntimeException e) {
        for (Job<?> j : jobs) {
            j.failed(e);
        }
    }

    private static void unknownAll(List<Job<?>> jobs, WriteOutcomeUnknownException e) {
        for (Job<?> j : jobs) {
            j.unknown(e);
        }
    }

    static void defectAll(List<Job<?>> jobs, Error e) {
        for (Job<?> j : jobs) {
            j.defect(e);
        }
    }

    /** @return whether the transaction is over (rolled back, or the connection gone with it) */
    private static boolean rollback(Connection c) {
        try {
            c.rollback();
            return true;
        } catch (SQLException e) {
            log.debug("Rollback failed: {}", e.toString());
            return false;
        }
    }

    /**
     * Gives a batch's connection back, in autocommit again; one whose transaction may still be open is rolled back
     * first, or closed as it is when that fails (closing it ends the transaction without committing it).
     */
    private static void release(Connection c, boolean open) {
        if (!open || rollback(c)) {
            try {
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the pool resets or discards it
            }
        }
        close(c);
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("Could not close a connection: {}", e.toString());
        }
    }
}
