package dev.cairn.orchestrator.commit;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/** Builds queued jobs for the unit tests of this package, without a database. */
final class Jobs {

    /** The lock whose conditions the jobs' callers wait on, as a group commit's lock. */
    private static final ReentrantLock LOCK = new ReentrantLock();

    private Jobs() {
    }

    /** Gives the job's outcome to its caller, holding the lock as a group commit does. */
    static void release(Job<?> job) {
        LOCK.lock();
        try {
            job.release();
        } finally {
            LOCK.unlock();
        }
    }

    /** A job of no combined kind, whose statement answers {@code result}. */
    static <R> Job<R> plain(R result, Object sequence) {
        return job(new Work<>() {
            @Override
            public R run(Connection connection) {
                return result;
            }

            @Override
            public Object sequenceKey() {
                return sequence;
            }
        });
    }

    /** A job combinable by {@code kind} under {@code key}, whose own statement answers {@code alone}. */
    static <P, R> Job<R> combinable(CombineKind<P, R> kind, Object key, P part, R alone, Object sequence) {
        Combinable<P, R> combinable = new Combinable<>(kind, key, part);
        return job(new Work<>() {
            @Override
            public R run(Connection connection) {
                return alone;
            }

            @Override
            public Combinable<?, R> combinable() {
                return combinable;
            }

            @Override
            public Object sequenceKey() {
                return sequence;
            }
        });
    }

    static <R> Job<R> job(Work<R> work) {
        return new Job<>(work, new Caller(1, LOCK.newCondition()));
    }

    @SafeVarargs
    static List<Job<?>> batch(Job<?>... jobs) {
        return new ArrayList<>(List.of(jobs));
    }
}
