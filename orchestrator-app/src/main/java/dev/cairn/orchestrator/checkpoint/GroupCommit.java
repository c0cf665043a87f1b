package dev.cairn.orchestrator.checkpoint;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * <p>Writer slots: every decision about a slot (taking one, handing it to a caller, freeing it) and every caller's
 * decision to leave are made under one lock, and a hand-off is delivered under that lock too: a caller handed a slot
 * cannot leave without using it (it leads, and frees the slot when nothing is left to write), so {@code writers}
 * slots stay {@code writers}, whichever leader writes whose jobs.
 *
 * <p>Bounded waits: a caller whose jobs are still queued (no writer took them) after {@code writerWait} takes them
 * back and each fails with {@link CheckpointWriterBusyException} (nothing written, safe to send again). Jobs a
 * leader already took are waited for: their statements are bounded by the data source's statement and socket
 * timeouts. {@link #longestWrite()} tells how long the oldest write in progress has been running (readiness).
 *
 * <p>Each job keeps its own answer, and the answer matches what was committed:
 * <ul>
 * <li><b>a result</b> (null when a fenced statement wrote nothing): its statement committed;
 * <li><b>an exception</b> (its own, translated; or the one that failed its whole batch): nothing of it was
 * committed;
 * <li><b>{@link WriteOutcomeUnknownException}</b>: it may or may not have been committed — the connection failed
 * while its transaction committed (or while its autocommit statement ran), or, written alone in autocommit, its job
 * threw something other than a {@link SQLException} (an unchecked exception or an {@link Error}: a defect), after
 * which its statement may have committed. Requests are idempotent, so the caller sends it again.
 * </ul>
 * A statement that fails (a {@link SQLException} or an unchecked exception) does not fail the others: the transaction
 * is rolled back and the batch is written again without it, and the failed one then runs alone, in a transaction of
 * its own that is rolled back when it fails, to get its own answer (a batch can fail for reasons of its own, e.g. a
 * deadlock with another transaction). When a combined statement fails, the batch is written again with one statement
 * per job, which tells which job fails. An {@link Error} thrown inside a batch's transaction rolls it back and fails
 * every job of the batch with that error (none is written again: an error is a defect, not an answer). A commit that
 * fails with the connection still usable fails every job of the batch (none was written), as it would have failed
 * each job alone. A connection is only ever put back in autocommit after its transaction ended (committed or rolled
 * back): switching a connection with an open transaction to autocommit commits it.
 *
 * <p>A {@link Work} that is written alone in autocommit must write with one statement, so that a {@link SQLException}
 * it throws means that nothing of it was written ({@link CheckpointStore}'s writes are one statement each).
 */
final class GroupCommit {

    /** How long a caller waits for a writer when no wait is configured. */
    static final Duration DEFAULT_WRITER_WAIT = Duration.ofSeconds(5);

    /**
     * One job's statement(s), run on the connection given, in autocommit or inside a transaction (see the class
     * comment: written alone in autocommit, it must write with one statement).
     */
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

    private final BatchWriter writer;
    private final int writers;
    private final int maxBatch;
    private final Duration writerWait;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}, as are the slot counts and each {@link Caller}'s state. */
    private final ArrayDeque<Job<?>> queue = new ArrayDeque<>();
    private int active;
    /** When each write in progress started ({@link System#nanoTime()}), by its batch; guarded by the lock. */
    private final Map<Object, Long> writesInProgress = new HashMap<>();
    private volatile Runnable afterHandOff = () -> { };

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
        this(dataSource, translator, writers, maxBatch, combiner, DEFAULT_WRITER_WAIT);
    }

    /** @param writerWait how long a caller's jobs may wait for a writer before they fail, unwritten */
    GroupCommit(DataSource dataSource, SQLExceptionTranslator translator, int writers, int maxBatch,
            Combiner combiner, Duration writerWait) {
        if (writers < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("writers and maxBatch must be at least 1");
        }
        if (writerWait.isNegative() || writerWait.isZero()) {
            throw new IllegalArgumentException("the wait for a writer must be positive, was " + writerWait);
        }
        this.writer = new BatchWriter(dataSource, translator, combiner);
        this.writers = writers;
        this.maxBatch = maxBatch;
        this.writerWait = writerWait;
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
        long deadline = System.nanoTime() + writerWait.toNanos();
        Caller caller = new Caller(works.size(), lock.newCondition());
        List<Job<R>> jobs = new ArrayList<>(works.size());
        for (Work<R> work : works) {
            jobs.add(new Job<>(work, caller));
        }
        boolean lead;
        lock.lock();
        try {
            queue.addAll(jobs);
            caller.queued = jobs.size();
            lead = active < writers;
            if (lead) {
                active++;
            }
        } finally {
            lock.unlock();
        }
        while (true) {
            if (lead) {
                lead(caller);
            }
            if (!awaitTurn(caller, deadline)) {
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
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Writer slots held: by leaders writing, or handed to a caller that has not taken it up yet (for tests). */
    int writing() {
        lock.lock();
        try {
            return active;
        } finally {
            lock.unlock();
        }
    }

    /** How long the oldest write in progress has been running; zero when none is. */
    Duration longestWrite() {
        lock.lock();
        try {
            return longestWriteHoldingLock();
        } finally {
            lock.unlock();
        }
    }

    /** Runs on a leader's thread once it has decided what becomes of its writer slot (for tests). */
    void afterHandOff(Runnable hook) {
        afterHandOff = hook;
    }

    /** Transactions written so far: each job written alone and each batch counts one (for tests and figures). */
    long transactions() {
        return writer.transactions();
    }

    /** Jobs written so far (for tests and figures). */
    long requests() {
        return writer.requests();
    }

    /** Statements that wrote them (for tests and figures): fewer than jobs when jobs were combined. */
    long statements() {
        return writer.statements();
    }

    /**
     * Holding a writer slot: writes the oldest queued jobs, batch after batch while jobs of {@code own} are still
     * queued, then hands the slot to the caller of the oldest queued job, or frees it.
     */
    private void lead(Caller own) {
        while (true) {
            List<Job<?>> batch = new ArrayList<>();
            Object write = new Object();
            lock.lock();
            try {
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
                writesInProgress.put(write, System.nanoTime());
            } finally {
                lock.unlock();
            }
            try {
                writer.write(batch);
            } catch (RuntimeException | Error e) {
                // not expected (write gives every job its outcome); whatever it wrote was not committed
                log.error("Writing a batch of {} failed", batch.size(), e);
                BatchWriter.failAll(batch, e);
            }
            boolean again;
            lock.lock();
            try {
                writesInProgress.remove(write);
                for (Job<?> j : batch) {
                    j.release();
                }
                again = own.queued > 0;
                if (!again) {
                    Job<?> head = queue.peek();
                    if (head == null) {
                        active--;
                    } else {
                        head.caller.promote();
                    }
                }
            } finally {
                lock.unlock();
            }
            afterHandOff.run();
            if (!again) {
                return;
            }
        }
    }

    /**
     * Waits until {@code caller} is handed a writer slot (true: it must lead) or all its jobs have their outcomes
     * (false). Jobs still queued at {@code deadline} are taken back and fail.
     */
    private boolean awaitTurn(Caller caller, long deadline) {
        boolean interrupted = false;
        lock.lock();
        try {
            while (caller.promotions == 0 && caller.unwritten > 0) {
                try {
                    if (caller.queued == 0) {
                        // a leader is writing them
                        caller.turn.await();
                        continue;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        withdraw(caller);
                    } else {
                        caller.turn.awaitNanos(left);
                    }
                } catch (InterruptedException e) {
                    // its jobs are queued or being written: it cannot leave now
                    interrupted = true;
                }
            }
            if (caller.promotions > 0) {
                caller.promotions--;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Takes the caller's queued jobs back (no writer took them in time): each fails, unwritten. Holds the lock. */
    private void withdraw(Caller caller) {
        CheckpointWriterBusyException busy = new CheckpointWriterBusyException(writerWait);
        int withdrawn = 0;
        for (Iterator<Job<?>> it = queue.iterator(); it.hasNext(); ) {
            Job<?> job = it.next();
            if (job.caller == caller) {
                it.remove();
                job.fail(busy);
                job.release();
                withdrawn++;
            }
        }
        caller.queued = 0;
        log.warn("{} checkpoint write(s) found no free writer within {} ms ({} writers, the oldest writing for {} ms)",
                withdrawn, writerWait.toMillis(), writers, longestWriteHoldingLock().toMillis());
    }

    private Duration longestWriteHoldingLock() {
        long now = System.nanoTime();
        long oldest = now;
        for (long started : writesInProgress.values()) {
            oldest = Math.min(oldest, started);
        }
        return Duration.ofNanos(now - oldest);
    }

    /**
     * A caller of {@link #submit}/{@link #submitAll}: waits on its own condition of the group commit's lock until it
     * is handed a writer slot (it must then write) or until every job of its own has its outcome. Its state is
     * guarded by that lock.
     */
    private static final class Caller {

        final Condition turn;
        /** Jobs of this caller still in the queue. */
        int queued;
        /** Jobs of this caller without their outcome. */
        int unwritten;
        /** Writer slots handed to it and not taken up yet. */
        int promotions;

        Caller(int jobs, Condition turn) {
            this.unwritten = jobs;
            this.turn = turn;
        }

        /** Hands it a writer slot. */
        void promote() {
            promotions++;
            turn.signal();
        }

        /** One of its jobs has its outcome. */
        void released() {
            unwritten--;
            if (unwritten == 0) {
                turn.signal();
            }
        }
    }

    /** One queued statement and, once written, its outcome. */
    static final class Job<R> {

        final Work<R> work;
        final Caller caller;
        private boolean settled;
        private Object result;
        private Throwable error;

        Job(Work<R> work, Caller caller) {
            this.work = work;
            this.caller = caller;
        }

        /** Its outcome is final: tells its caller (under the group commit's lock). */
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
