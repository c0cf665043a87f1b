package dev.cairn.worker.replay;

import dev.cairn.api.DurableFuture;
import dev.cairn.api.FutureCombinator;

/**
 * A future of the engine. Waiting on one that is not done blocks the branch in process: the invocation suspends
 * only when every branch is blocked.
 */
abstract sealed class EngineFuture<T> implements DurableFuture<T>, FutureCombinator.Provider
        permits AllOfFuture, AnyOfFuture, BranchFuture, CallbackFuture {

    static final long NOT_DONE = Long.MAX_VALUE;

    private final ReplaySession session;

    EngineFuture(ReplaySession session) {
        this.session = session;
    }

    @Override
    public final T get() {
        session.branches().awaitInProcess(this::isDone);
        Throwable failure = failure();
        if (failure != null) {
            throw rethrowable(failure);
        }
        return value();
    }

    @Override
    public final FutureCombinator combinator() {
        return session.combinator();
    }

    /** The position in which this future completed among the invocation's futures, {@link #NOT_DONE} until then. */
    abstract long completedAs();

    /** The failure, or null on success; only once done. */
    abstract Throwable failure();

    /** The value; only once done and successful. */
    abstract T value();

    final ReplaySession session() {
        return session;
    }

    private static RuntimeException rethrowable(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("a durable operation failed with a checked exception", failure);
    }
}
