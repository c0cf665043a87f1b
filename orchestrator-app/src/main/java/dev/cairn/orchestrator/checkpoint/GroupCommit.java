package dev.cairn.orchestrator.checkpoint;

import dev.cairn.orchestrator.sql.GenericPlans;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
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
 * Group commit: the statements of concurrent requests run on one connection and commit together, so one commit (one
 * WAL flush) carries many requests when there is concurrency.
 *
 * <p>Leader/follower, no thread of its own. A caller submits one job ({@link #submit}) or several at once
 * ({@link #submitAll}, the items of a batch request); its jobs join the queue together. A caller that finds a free
 * writer slot becomes the leader: it takes the oldest queued jobs (up to {@code maxBatch}) and writes them at once,
 * and goes on with the next batch while jobs of its own are still queued. A single job written alone runs in
 * autocommit (one round trip, as it would without this class: no added latency without concurrency); several run in
 * one transaction, one statement after another, then commit. With a {@link Combiner}, consecutive jobs of one
 * {@linkplain Work#combineKind() kind} that it can write together (each with a distinct {@link Work#combineKey()}) go
 * in one statement instead of one each. A caller that finds every slot busy waits; a leader that is done hands its
 * slot to the caller of the oldest queued job, which then writes whatever accumulated meanwhile. Jobs are written in
 * the order they were queued, except that a batch whose jobs all have distinct {@link Work#sequenceKey()}s (no two
 * depend on each other's order) is written kind by kind, so that its combinable jobs are consecutive.
 *
 * <p>Each job keeps its own answer: its statement's result (a fenced statement writes nothing and answers so), or
 * its own exception. A statement that fails does not fail the others: the transaction is rolled back and the batch
 * is written again without it, and the failed one then runs alone, in its own transaction, to get its own answer (a
 * batch can fail for reasons of its own, e.g. a deadlock with another transaction). When a combined statement fails,
 * the batch is written again with one statement per job, which tells which job fails. A failed commit fails every job
 * of the batch (none was written), as it would have failed each job alone.
 */
final class GroupCommit {

    /** One job's statement(s), run on the connection given, in autocommit or inside a batch's transaction. */
    @FunctionalInterface
    interface Work<R> {

        R run(Connection connection) throws SQLException;

        /**
         * Non-null when the group's {@link Combiner} can write this job with others in one statement; jobs written
         * together have distinct keys.
         */
        default Object combineKey() {
            return null;
        }

        /** Which combined statement writes this job: only consecutive jobs of one kind are combined. */
        default Object combineKind() {
            return null;
        }

        /**
         * Jobs with the same key must be written in the order they were queued (e.g. one execution's); null when
         * this job must keep its place among all others.
         */
        default Object sequenceKey() {
            return null;
        }
    }

    /**
     * Writes several jobs of one {@link Work#combineKind()} that have a {@link Work#combineKey()} in ONE statement on
     * the connection given.
     */
    @FunctionalInterface
    interface Combiner {

        /** @return each job's result, in order */
        Object[] runAll(Connection connection, List<? extends Work<?>> works) throws SQLException;
    }

    /**
     * What became of one job of {@link #submitAll}: its result (null when its statement answered null), or the
     * exception it failed with.
     */
    record Outcome<R>(R result, Throwable failure) {

        boolean failed() {
            return failure != null;
        }

        /** The result, or the failure thrown. */
        R get() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return result;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private final DataSource dataSource;
    private final SQLExceptionTranslator translator;
    private final int writers;
    private final int maxBatch;
    private final Combiner combiner;
    private final Object lock = new Object();
    private final ArrayDeque<Job<?>> queue = new ArrayDeque<>();
    private int active;
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong statements = new AtomicLong();

    /**
     * @param writers how many batches may be written at the same time (each on its own connection)
     * @param maxBatch the most jobs one transaction carries
     */
    GroupCommit(DataSource dataSource, SQLExceptionTranslator translator, int writers, int maxBatch) {
        this(dataSource, translator, writers, maxBatch, null);
    }

    /**
     * @param combiner writes consecutive jobs of a batch that have a {@link Work#combineKey()} (distinct ones) in one
     *     statement; null writes every job with its own statement
     */
    GroupCommit(DataSource dataSource, SQLExceptionTranslator translator, int writers, int maxBatch,
            Combiner combiner) {
        if (writers < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("writers and maxBatch must be at least 1");
        }
        this.dataSource = dataSource;
        this.translator = translator;
        this.writers = writers;
        this.maxBatch = maxBatch;
        this.combiner = combiner;
    }

    /** Writes {@code work}, alone or with concurrent jobs, and answers its own result or throws its own exception. */
    <R> R submit(Work<R> work) {
        return submitAll(List.of(work)).get(0).get();
    }

    /**
     * Writes every job of {@code works} (with concurrent jobs of other callers, in as few transactions as
     * {@code maxBatch} allows) and answers each job's own outcome, in the order of {@code works}. Never throws for a
     * job that failed: its outcome holds the exception.
     */
    <R> List<Outcome<R>> submitAll(List<? extends Work<R>> works) {
        if (works.isEmpty()) {
            return List.of();
        }
        Caller caller = new Caller(works.size());
        List<Job<R>> jobs = new ArrayList<>(works.size());
        for (Work<R> work : works) {
            jobs.add(new Job<>(work, caller));
        }
        boolean lead;
        synchronized (lock) {
            queue.addAll(jobs);
            caller.queued = jobs.size();
            lead = active < writers;
            if (lead) {
                active++;
            }
        }
        while (true) {
            if (lead) {
                lead(caller);
            }
            if (!caller.awaitTurn()) {
                break;
            }
            lead = true;
        }
        List<Outcome<R>> outcomes = new ArrayList<>(jobs.size());
        for (Job<R> job : jobs) {
            outcomes.add(job.outcome());
        }
        return outcomes;
    }

    /** Jobs waiting for a writer (for tests). */
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

    /** Transactions written so far: each job written alone and each batch counts one (for tests and figures). */
    long transactions() {
        return transactions.get();
    }

    /** Jobs written so far (for tests and figures). */
    long requests() {
        return requests.get();
    }

    /** Statements that wrote them (for tests and figures): fewer than jobs when jobs were combined. */
    long statements() {
        return statements.get();
    }

    /**
     * Holding a writer slot: writes the oldest queued jobs, batch after batch while jobs of {@code own} are still
     * queued, then hands the slot to the caller of the oldest queued job, or frees it.
     */
    private void lead(Caller own) {
        while (true) {
            List<Job<?>> batch = new ArrayList<>();
            synchronized (lock) {
                while (batch.size() < maxBatch && !queue.isEmpty()) {
                    Job<?> job = queue.poll();
                    job.caller.queued--;
                    batch.add(job);
                }
                if (batch.isEmpty()) {
                    // another leader took them: nothing left to write
                    active--;
                    return;
                }
            }
            try {
                write(batch);
            } catch (RuntimeException | Error e) {
                for (Job<?> j : batch) {
                    j.fail(e);
                }
            }
            boolean again;
            Caller next = null;
            synchronized (lock) {
                again = own.queued > 0;
                if (!again) {
                    Job<?> head = queue.peek();
                    if (head == null) {
                        active--;
                    } else {
                        next = head.caller;
                    }
                }
            }
            if (next != null) {
                next.promote();
            }
            for (Job<?> j : batch) {
                j.release();
            }
            if (!again) {
                return;
            }
        }
    }

    private void write(List<Job<?>> batch) {
        requests.addAndGet(batch.size());
        List<Job<?>> pending = combiner != null ? byKind(batch) : batch;
        List<Job<?>> failed = new ArrayList<>();
        boolean combine = combiner != null;
        while (pending.size() > 1) {
            int failure = together(pending, combine);
            if (failure == COMBINED_FAILED) {
                // write them again one statement each, which tells which one fails
                combine = false;
            } else if (failure < 0) {
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

    private static final int COMBINED_FAILED = -2;

    /**
     * Writes the jobs in one transaction; with {@code combine}, runs of consecutive jobs that the combiner can write
     * (distinct keys) go in one statement each.
     *
     * @return -1 when every job has its outcome (committed, or the commit failed), {@link #COMBINED_FAILED} when a
     *     combined statement failed, else the index of the job whose statement failed (in both cases the transaction
     *     was rolled back and no outcome was set)
     */
    private int together(List<Job<?>> jobs, boolean combine) {
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
                        rollback(c);
                        return COMBINED_FAILED;
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
                    rollback(c);
                    return i;
                }
                i++;
            }
            try {
                c.commit();
            } catch (SQLException e) {
                rollback(c);
                failAll(jobs, translate(e));
                return -1;
            }
            for (int k = 0; k < jobs.size(); k++) {
                jobs.get(k).succeed(results[k]);
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

    /**
     * A caller of {@link #submit}/{@link #submitAll}: waits until it is made a leader (it must then write) or until
     * every job of its own has been written by leaders.
     */
    private static final class Caller {

        /** Jobs of this caller still in the queue; guarded by the group commit's lock. */
        int queued;
        private int unwritten;
        private int promotions;

        Caller(int jobs) {
            this.unwritten = jobs;
        }

        /** Hands it a writer slot. */
        synchronized void promote() {
            promotions++;
            notifyAll();
        }

        /** One of its jobs has its outcome. */
        synchronized void released() {
            unwritten--;
            if (unwritten == 0) {
                notifyAll();
            }
        }

        /** @return true when this caller holds a writer slot and must lead, false when all its jobs are written */
        synchronized boolean awaitTurn() {
            boolean interrupted = false;
            while (promotions == 0 && unwritten > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    // its jobs are queued or being written: it cannot leave now
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (promotions > 0) {
                promotions--;
                return true;
            }
            return false;
        }
    }

    /** One queued statement and, once written, its outcome. */
    private static final class Job<R> {

        final Work<R> work;
        final Caller caller;
        private boolean settled;
        private Object result;
        private Throwable error;

        Job(Work<R> work, Caller caller) {
            this.work = work;
            this.caller = caller;
        }

        /** Its outcome is final: tells its caller. */
        void release() {
            synchronized (this) {
                if (!settled) {
                    settled = true;
                    error = new IllegalStateException("the request was not written");
                }
            }
            caller.released();
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
        synchronized Outcome<R> outcome() {
            return new Outcome<>(error == null ? (R) result : null, error);
        }
    }
}
