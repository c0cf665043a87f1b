package dev.cairn.worker.invocation;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The threads that run concurrent branches and timed step bodies of invocations: a cached pool, since a branch
 * must never queue behind another it may be waiting for. Not an {@link Executor} bean itself, so that it does not
 * stand in for the application's task executor.
 */
public final class BranchThreads implements AutoCloseable {

    private final ExecutorService threads = Executors.newCachedThreadPool(InvocationPool.namedThreads("cairn-branch-"));

    public Executor executor() {
        return threads;
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
