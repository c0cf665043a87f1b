package dev.cairn.orchestrator.checkpoint;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
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
 * Group commit: the statements of concurrent requests run on one connection and commit together, so one commit (one
 * WAL flush) carries many requests when there is concurrency.
 *
 * <p>Leader/follower, no thread of its own: a request that finds a free writer slot becomes the leader and writes
 * at once, alone (no added latency without concurrency: its statement runs in autocommit, one round trip, as it
 * would without this class). A request that finds every slot busy queues; when a leader has committed, it hands
 * its slot to the oldest queued request, which takes whatever accumulated meanwhile (up to {@code maxBatch}) and
 * writes it in one transaction, one statement after another, then commits.
 *
 * <p>Each request keeps its own answer: its statement's result (a fenced statement writes nothing and answers
 * so), or its own exception. A statement that fails does not fail the others: the transaction is rolled back and
 * the batch is written again without it, and the failed one then runs alone, in its own transaction, to get its
 * own answer (a batch can fail for reasons of its own, e.g. a deadlock with another transaction). A failed commit
 * fails every request of the batch (none was written), as it would have failed each request alone.
 */
final class GroupCommit {

    /** One request's statement(s), run on the connection given, in autocommit or inside a batch's transaction. */
    @FunctionalInterface
    interface Work<R> {

        R run(Connection connection) throws SQLException;
    }

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private final DataSource dataSource;
    private final SQLExceptionTranslator translator;
    private final int writers;
    private final int maxBatch;
    private final Object lock = new Object();
    private final ArrayDeque<Job<?>> queue = new ArrayDeque<>();
    private int active;
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    /**
     * @param writers how many batches may be written at the same time (each on its own connection)
     * @param maxBatch the most requests one transaction carries
     */
    GroupCommit(DataSource dataSource, SQLExceptionTranslator translator, int writers, int maxBatch) {
        if (writers < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("writers and maxBatch must be at least 1");
        }
        this.dataSource = dataSource;
        this.translator = translator;
        this.writers = writers;
        this.maxBatch = maxBatch;
    }

    /** Writes {@code work}, alone or with concurrent requests, and answers its own result or exception. */
    <R> R submit(Work<R> work) {
        Job<R> job = new Job<>(work);
        boolean lead;
        synchronized (lock) {
            if (active < writers) {
                active++;
                lead = true;
            } else {
                queue.add(job);
                lead = false;
            }
        }
        if (lead || job.awaitTurn()) {
            lead(job);
        }
        return job.outcome();
    }

    /** Requests waiting for a writer (for tests). */
    int queued() {
        synchronized (lock) {
            return queue.size();
        }
    }

    /** Leaders writing now (for tests). */
    int writing() {
        synchronized (lock) {
            return active;
        }
    }

    /** Transactions written so far: each single request and each batch counts one (for tests and figures). */
    long transactions() {
        return transactions.get();
    }

    /** Requests written so far (for tests and figures). */
    long requests() {
        return requests.get();
    }

    private void lead(Job<?> own) {
        List<Job<?>> batch = new ArrayList<>();
        batch.add(own);
        synchronized (lock) {
            while (batch.size() < maxBatch && !queue.isEmpty()) {
                batch.add(queue.poll());
            }
        }
        try {
            write(batch);
        } catch (RuntimeException | Error e) {
            for (Job<?> j : batch) {
                j.fail(e);
            }
        } finally {
            Job<?> next;
            synchronized (lock) {
                next = queue.poll();
                if (next == null) {
                    active--;
                }
            }
            if (next != null) {
                next.promote();
            }
            for (Job<?> j : batch) {
                if (j != own) {
                    j.release();
                }
            }
        }
    }

    private void write(List<Job<?>> batch) {
        requests.addAndGet(batch.size());
        List<Job<?>> pending = batch;
        List<Job<?>> failed = new ArrayList<>();
        while (pending.size() > 1) {
            int failure = together(pending);
            if (failure < 0) {
                pending = List.of();
            } else {
                failed.add(pending.get(failure));
                pending = new ArrayList<>(pending);
                pending.remove(failure);
            }
        }
        for (Job<?> j : pending) {
            alone(j);
        }
        for (Job<?> j : failed) {
            alone(j);
        }
    }

    /**
     * Writes the jobs in one transaction.
     *
     * @return -1 when every job has its outcome (committed, or the commit failed), else the index of the job whose
     *     statement failed (the transaction was rolled back; no outcome was set)
     */
    private int together(List<Job<?>> jobs) {
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            failAll(jobs, new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", e));
            return -1;
        }
        transactions.incrementAndGet();
        try {
            c.setAutoCommit(false);
            Object[] results = new Object[jobs.size()];
            for (int i = 0; i < jobs.size(); i++) {
                try {
                    results[i] = jobs.get(i).work.run(c);
                } catch (SQLException | RuntimeException e) {
                    log.debug("A statement of a batch of {} failed ({}); writing the batch again without it",
                            jobs.size(), e.toString());
                    rollback(c);
                    return i;
                }
            }
            try {
                c.commit();
            } catch (SQLException e) {
                rollback(c);
                failAll(jobs, translate(e));
                return -1;
            }
            for (int i = 0; i < jobs.size(); i++) {
                jobs.get(i).succeed(results[i]);
            }
            return -1;
        } catch (SQLException e) {
            rollback(c);
            failAll(jobs, translate(e));
            return -1;
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the pool resets or discards it
            }
            close(c);
        }
    }

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
            job.succeed(job.work.run(c));
        } catch (SQLException e) {
            job.fail(translate(e));
        } catch (RuntimeException e) {
            job.fail(e);
        } finally {
            close(c);
        }
    }

    private DataAccessException translate(SQLException e) {
        DataAccessException translated = translator.translate("checkpoint", null, e);
        return translated != null ? translated : new UncategorizedSQLException("checkpoint", null, e);
    }

    private static void failAll(List<Job<?>> jobs, RuntimeException e) {
        for (Job<?> j : jobs) {
            j.fail(e);
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            log.debug("Rollback failed: {}", e.toString());
        }
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("Could not close a connection: {}", e.toString());
        }
    }

    /** A queued request: waits until it is written by another leader, or until it is made the leader. */
    private static final class Job<R> {

        private static final int WAITING = 0;
        private static final int LEADING = 1;
        private static final int RELEASED = 2;

        final Work<R> work;
        private int state = WAITING;
        private boolean settled;
        private Object result;
        private Throwable error;

        Job(Work<R> work) {
            this.work = work;
        }

        /** @return true when this request must lead a batch, false when another leader has written it */
        synchronized boolean awaitTurn() {
            boolean interrupted = false;
            while (state == WAITING) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    // it is queued or being written: it cannot leave now
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return state == LEADING;
        }

        synchronized void promote() {
            state = LEADING;
            notifyAll();
        }

        synchronized void release() {
            if (!settled) {
                settled = true;
                error = new IllegalStateException("the request was not written");
            }
            state = RELEASED;
            notifyAll();
        }

        synchronized void succeed(Object value) {
            if (!settled) {
                settled = true;
                result = value;
            }
        }

        synchronized void fail(Throwable t) {
            if (!settled) {
                settled = true;
                error = t;
            }
        }

        @SuppressWarnings("unchecked")
        synchronized R outcome() {
            if (error instanceof RuntimeException e) {
                throw e;
            }
            if (error instanceof Error e) {
                throw e;
            }
            if (error != null) {
                throw new IllegalStateException(error);
            }
            return (R) result;
        }
    }
}
