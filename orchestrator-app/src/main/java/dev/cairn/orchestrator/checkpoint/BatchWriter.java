package dev.cairn.orchestrator.checkpoint;

import dev.cairn.orchestrator.checkpoint.GroupCommit.Job;
import dev.cairn.orchestrator.checkpoint.GroupCommit.Work;
import dev.cairn.orchestrator.sql.GenericPlans;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
    private final GroupCommit.Combiner combiner;
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong statements = new AtomicLong();

    /** @param combiner null writes every job with its own statement */
    BatchWriter(DataSource dataSource, SQLExceptionTranslator translator, GroupCommit.Combiner combiner) {
        this.dataSource = dataSource;
        this.translator = translator;
        this.combiner = combiner;
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
        List<Job<?>> pending = combiner != null ? byKind(batch) : batch;
        List<Job<?>> failed = new ArrayList<>();
        boolean combine = combiner != null;
        while (pending.size() > 1) {
            Attempt attempt = together(pending, combine);
            if (attempt == Attempt.WRITTEN) {
                pending = List.of();
            } else if (attempt.failedAt() == Attempt.COMBINED) {
                // write them again one statement each, which tells which one fails
                combine = false;
            } else {
                failed.add(pending.get(attempt.failedAt()));
                pending = new ArrayList<>(pending);
                pending.remove(attempt.failedAt());
            }
        }
        for (Job<?> j : pending) {
            alone(j);
        }
        for (Job<?> j : failed) {
            Attempt attempt = together(List.of(j), false);
            if (attempt != Attempt.WRITTEN) {
                j.fail(failure(attempt.failure()));
            }
        }
    }

    /**
     * How an attempt to write jobs in one transaction ended: every job has its outcome ({@link #WRITTEN}), or the
     * statement of the job at {@code failedAt} ({@link #COMBINED}: a combined statement) failed with {@code failure}
     * and the transaction was rolled back, with no outcome set.
     */
    private record Attempt(int failedAt, Throwable failure) {

        static final int COMBINED = -2;
        static final Attempt WRITTEN = new Attempt(-1, null);
    }

    /**
     * Writes the jobs in one transaction; with {@code combine}, runs of consecutive jobs that the combiner can write
     * (distinct keys) go in one statement each.
     */
    private Attempt together(List<Job<?>> jobs, boolean combine) {
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            failAll(jobs, new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", e));
            return Attempt.WRITTEN;
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
            Object[] results = new Object[jobs.size()];
            int i = 0;
            while (i < jobs.size()) {
                int end = combine ? combinable(jobs, i) : i + 1;
                if (end - i > 1) {
                    List<Work<?>> works = new ArrayList<>(end - i);
                    for (int k = i; k < end; k++) {
                        works.add(jobs.get(k).work);
                    }
                    try {
                        statements.incrementAndGet();
                        Object[] combined = combiner.runAll(c, works);
                        System.arraycopy(combined, 0, results, i, end - i);
                    } catch (SQLException | RuntimeException e) {
                        log.debug("A combined statement of {} jobs failed ({}); writing them one by one", end - i,
                                e.toString());
                        open = !rollback(c);
                        return new Attempt(Attempt.COMBINED, e);
                    }
                    i = end;
                    continue;
                }
                try {
                    statements.incrementAndGet();
                    results[i] = jobs.get(i).work.run(c);
                } catch (SQLException | RuntimeException e) {
                    log.debug("A statement of a batch of {} failed ({}); writing the batch again without it",
                            jobs.size(), e.toString());
                    open = !rollback(c);
                    return new Attempt(i, e);
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
                    failAll(jobs, new WriteOutcomeUnknownException(e));
                } else {
                    failAll(jobs, translate(e));
                }
                open = !rollback(c);
                return Attempt.WRITTEN;
            }
            for (int k = 0; k < jobs.size(); k++) {
                jobs.get(k).succeed(results[k]);
            }
            return Attempt.WRITTEN;
        } catch (SQLException e) {
            // before any job ran: starting the transaction failed
            failAll(jobs, translate(e));
            return Attempt.WRITTEN;
        } catch (Error e) {
            log.error("A job of a batch of {} threw an error; the batch is rolled back and fails", jobs.size(), e);
            failAll(jobs, e);
            return Attempt.WRITTEN;
        } finally {
            release(c, open);
        }
    }

    /** The end (exclusive) of the run of combinable jobs of one kind with distinct keys that starts at {@code from}. */
    private static int combinable(List<Job<?>> jobs, int from) {
        Set<Object> keys = new HashSet<>();
        Object kind = jobs.get(from).work.combineKind();
        int end = from;
        while (end < jobs.size()) {
            Work<?> work = jobs.get(end).work;
            if (work.combineKey() == null || !Objects.equals(work.combineKind(), kind)
                    || !keys.add(work.combineKey())) {
                break;
            }
            end++;
        }
        return Math.max(end, from + 1);
    }

    /**
     * The batch grouped by {@link Work#combineKind()} (kinds in order of first appearance, each kind's jobs in queue
     * order) when every job has its own {@link Work#sequenceKey()}; else the batch as it is.
     */
    private static List<Job<?>> byKind(List<Job<?>> batch) {
        if (batch.size() < 3) {
            return batch;
        }
        Set<Object> sequences = new HashSet<>();
        Map<Object, List<Job<?>>> kinds = new LinkedHashMap<>();
        for (Job<?> job : batch) {
            Object sequence = job.work.sequenceKey();
            if (sequence == null || !sequences.add(sequence)) {
                return batch;
            }
            kinds.computeIfAbsent(Optional.ofNullable(job.work.combineKind()), k -> new ArrayList<>()).add(job);
        }
        if (kinds.size() < 2) {
            return batch;
        }
        List<Job<?>> arranged = new ArrayList<>(batch.size());
        kinds.values().forEach(arranged::addAll);
        return arranged;
    }

    /** Writes one job in autocommit (one round trip). */
    private void alone(Job<?> job) {
        transactions.incrementAndGet();
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            job.fail(new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", e));
            return;
        }
        try {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            statements.incrementAndGet();
            job.succeed(job.work.run(c));
        } catch (SQLException e) {
            if (connectionFailed(c, e)) {
                log.warn("The connection failed while a write ran in autocommit; its outcome is unknown: {}",
                        e.toString());
                job.fail(new WriteOutcomeUnknownException(e));
            } else {
                job.fail(translate(e));
            }
        } catch (RuntimeException | Error e) {
            // not the database's answer: its statement may have committed before it was thrown
            log.error("A write in autocommit threw; its outcome is unknown", e);
            job.fail(new WriteOutcomeUnknownException(e));
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

    static void failAll(List<Job<?>> jobs, Throwable e) {
        for (Job<?> j : jobs) {
            j.fail(e);
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
