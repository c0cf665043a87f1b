package dev.cairn.orchestrator.commit;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * Group commit: the statements of concurrent requests run on one connection and commit together, so one commit (one
 * WAL flush) carries many requests when there is concurrency. Generic: it knows jobs ({@link Work}), typed by their
 * result, and the combined statements they name ({@link CombineKind}), not what they write.
 *
 * <p>Leader/follower, no thread of its own. A caller submits one job ({@link #submit}) or several at once
 * ({@link #submitAll}, the items of a batch request); its jobs join the queue together. A caller that finds a free
 * writer slot becomes the leader: it takes the oldest queued jobs (up to {@code maxBatch}) and writes them at once,
 * and goes on with the next batch while jobs of its own are still queued. A single job written alone runs in
 * autocommit (one round trip, as it would without this class: no added latency without concurrency); several run in
 * one transaction, one statement after another, then commit. Consecutive jobs that are {@linkplain Work#combinable()
 * combinable} by the same {@link CombineKind}, each with a distinct {@linkplain Combinable#key() key}, go in one
 * statement (the kind's) instead of one each, and each gets its own result from it. A caller that finds every slot
 * busy waits; a leader that is done hands its slot to the caller of the oldest queued job, which then writes whatever
 * accumulated meanwhile. Jobs are written in the order they were queued, except that a batch whose jobs all have
 * distinct {@link Work#sequenceKey()}s (no two depend on each other's order) is written kind by kind, so that its
 * combinable jobs are consecutive ({@link BatchOrder}).
 *
 * <p>Writer slots: every decision about a slot (taking one, handing it to a caller, freeing it) and every caller's
 * decision to leave are made under one lock, and a hand-off is delivered under that lock too: a caller handed a slot
 * cannot leave without using it (it leads, and frees the slot when nothing is left to write), so {@code writers}
 * slots stay {@code writers}, whichever leader writes whose jobs.
 *
 * <p>Bounded waits: a caller whose jobs are still queued (no writer took them) after {@code writerWait} takes them
 * back and each fails with {@link WriterBusyException} (nothing written, safe to send again). Jobs a leader already
 * took are waited for: their statements are bounded by the data source's statement and socket timeouts.
 * {@link #longestWrite()} tells how long the oldest write in progress has been running (readiness).
 *
 * <p>Each job keeps its own {@link Outcome}, and it matches what was committed:
 * <ul>
 * <li>{@link Outcome.Written} with its result (null when, e.g., a fenced statement wrote nothing): its statement
 * committed;
 * <li>{@link Outcome.Failed} with its own exception (translated) or the one that failed its whole batch: nothing of it
 * was committed;
 * <li>{@link Outcome.Unknown} ({@link WriteOutcomeUnknownException}): it may or may not have been committed — the
 * connection failed while its transaction committed (or while its autocommit statement ran), or, written alone in
 * autocommit, its job threw something other than a {@link SQLException} (an unchecked exception or an {@link Error}: a
 * defect), after which its statement may have committed. Requests are idempotent, so the caller sends it again;
 * <li>{@link Outcome.Defect}: an {@link Error} was thrown inside its batch's transaction, which was rolled back.
 * </ul>
 * A statement that fails (a {@link SQLException} or an unchecked exception) does not fail the others: the transaction
 * is rolled back and the batch is written again without it, and the failed one then runs alone, in a transaction of
 * its own that is rolled back when it fails, to get its own answer (a batch can fail for reasons of its own, e.g. a
 * deadlock with another transaction). When a combined statement fails (or answers a number of results other than
 * its jobs'), the batch is written again with one statement per job, which tells which job fails. An {@link Error}
 * thrown inside a batch's transaction rolls it back and fails every job of the batch with that error (none is
 * written again: an error is a defect, not an answer). A commit that fails with the connection still usable fails
 * every job of the batch (none was written), as it would have failed each job alone. A connection is only ever put
 * back in autocommit after its transaction ended (committed or rolled back): switching a connection with an open
 * transaction to autocommit commits it.
 *
 * <p>A {@link Work} that is written alone in autocommit must write with one statement, so that a {@link SQLException}
 * it throws means that nothing of it was written.
 */
public final class GroupCommit {

    /** How long a caller waits for a writer when no wait is configured. */
    public static final Duration DEFAULT_WRITER_WAIT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private final BatchWriter writer;
    private final int writers;
    private final int maxBatch;
    private final Duration writerWait;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}, as are the slot counts and each {@link Caller}'s state. */
    private final ArrayDeque<Job<?>> queue = new ArrayDeque<>();
    private int active;
    /** Guarded by the lock. */
    private final WritesInProgress writesInProgress = new WritesInProgress();
    private volatile Runnable afterHandOff = () -> { };

    /**
     * @param translator turns a job's own {@link SQLException} into the exception its caller gets
     * @param writers how many batches may be written at the same time (each on its own connection)
     * @param maxBatch the most jobs one transaction carries
     */
    public GroupCommit(DataSource dataSource, SQLExceptionTranslator translator, int writers, int maxBatch) {
        this(dataSource, translator, writers, maxBatch, DEFAULT_WRITER_WAIT);
    }

    /** @param writerWait how long a caller's jobs may wait for a writer before they fail, unwritten */
    public GroupCommit(DataSource dataSource, SQLExceptionTranslator translator, int writers, int maxBatch,
            Duration writerWait) {
        if (writers < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("writers and maxBatch must be at least 1");
        }
        if (writerWait.isNegative() || writerWait.isZero()) {
            throw new IllegalArgumentException("the wait for a writer must be positive, was " + writerWait);
        }
        this.writer = new BatchWriter(dataSource, translator);
        this.writers = writers;
        this.maxBatch = maxBatch;
        this.writerWait = writerWait;
    }

    /** Writes {@code work}, alone or with concurrent jobs, and answers its own result or throws its own exception. */
    public <R> R submit(Work<R> work) {
        return submitAll(List.of(work)).get(0).get();
    }

    /**
     * Writes every job of {@code works} (with concurrent jobs of other callers, in as few transactions as
     * {@code maxBatch} allows) and answers each job's own outcome, in the order of {@code works}. Never throws for a
     * job that failed: its outcome holds the exception.
     */
    public <R> List<Outcome<R>> submitAll(List<? extends Work<R>> works) {
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
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Writer slots held: by leaders writing, or handed to a caller that has not taken it up yet (for tests). */
    public int writing() {
        lock.lock();
        try {
            return active;
        } finally {
            lock.unlock();
        }
    }

    /** How long the oldest write in progress has been running; zero when none is. */
    public Duration longestWrite() {
        lock.lock();
        try {
            return writesInProgress.longest();
        } finally {
            lock.unlock();
        }
    }

    /** Runs on a leader's thread once it has decided what becomes of its writer slot (for tests). */
    public void afterHandOff(Runnable hook) {
        afterHandOff = hook;
    }

    /** Transactions written so far: each job written alone and each batch counts one (for tests and figures). */
    public long transactions() {
        return writer.transactions();
    }

    /** Jobs written so far (for tests and figures). */
    public long requests() {
        return writer.requests();
    }

    /** Statements that wrote them (for tests and figures): fewer than jobs when jobs were combined. */
    public long statements() {
        return writer.statements();
    }

    /**
     * Holding a writer slot: writes the oldest queued jobs, batch after batch while jobs of {@code own} are still
     * queued, then hands the slot to the caller of the oldest queued job, or frees it.
     */
    private void lead(Caller own) {
        while (true) {
            List<Job<?>> batch = new ArrayList<>();
            Object write;
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
                write = writesInProgress.start();
            } finally {
                lock.unlock();
            }
            try {
                writer.write(batch);
            } catch (RuntimeException e) {
                // not expected (write gives every job its outcome); whatever it wrote was not committed
                log.error("Writing a batch of {} failed", batch.size(), e);
                BatchWriter.failAll(batch, e);
            } catch (Error e) {
                log.error("Writing a batch of {} failed", batch.size(), e);
                BatchWriter.defectAll(batch, e);
            }
            boolean again;
            lock.lock();
            try {
                writesInProgress.end(write);
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
        WriterBusyException busy = new WriterBusyException(writerWait);
        int withdrawn = 0;
        for (Iterator<Job<?>> it = queue.iterator(); it.hasNext(); ) {
            Job<?> job = it.next();
            if (job.caller == caller) {
                it.remove();
                job.failed(busy);
                job.release();
                withdrawn++;
            }
        }
        caller.queued = 0;
        log.warn("{} write(s) found no free writer within {} ms ({} writers, the oldest writing for {} ms)",
                withdrawn, writerWait.toMillis(), writers, writesInProgress.longest().toMillis());
    }
}
