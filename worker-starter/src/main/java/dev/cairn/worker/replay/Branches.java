package dev.cairn.worker.replay;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

/**
 * The threads of one invocation (the handler's and one per concurrent branch) and whether any of them can still
 * make progress.
 *
 * <p>A branch counts as running until it blocks. A branch blocked on something durable (a timer, a retry, later
 * a callback or a chained execution) can only move on in a later invocation; a branch blocked on an in-process
 * future can move on as soon as the future completes. When no branch is running and no in-process wait is
 * satisfied, nothing can progress any more: the invocation ends {@link Ending#SUSPENDED} and every blocked
 * thread unwinds with {@link SuspendExecution}.
 */
final class Branches {

    private final Object lock = new Object();
    private final Executor executor;
    private final Set<Thread> threads = new HashSet<>();
    private final List<BooleanSupplier> waits = new ArrayList<>();
    private final List<Runnable> endListeners = new ArrayList<>();
    private int running;
    private Ending ending;

    Branches(Executor executor) {
        this.executor = executor;
    }

    /** Registers the calling thread as the handler's branch. */
    void enterRoot() {
        synchronized (lock) {
            threads.add(Thread.currentThread());
            running++;
        }
    }

    /** Deregisters the calling thread and clears an interrupt meant for this invocation. */
    void exitRoot() {
        synchronized (lock) {
            threads.remove(Thread.currentThread());
        }
        Thread.interrupted();
    }

    /**
     * Registers a listener run when {@link #end} ends the invocation, outside this class's lock, to wake threads
     * that wait elsewhere (never while holding this lock, so that lock order stays one way).
     */
    void onEnd(Runnable listener) {
        synchronized (lock) {
            endListeners.add(listener);
        }
    }

    /** Runs {@code body} as a new branch on the branch executor. */
    void spawn(Runnable body) {
        synchronized (lock) {
            throwIfEnded();
            running++;
        }
        try {
            executor.execute(() -> runBranch(body));
        } catch (RejectedExecutionException e) {
            synchronized (lock) {
                running--;
                suspendIfIdle();
            }
            throw e;
        }
    }

    private void runBranch(Runnable body) {
        Thread thread = Thread.currentThread();
        synchronized (lock) {
            if (ending != null) {
                return;
            }
            threads.add(thread);
        }
        try {
            body.run();
        } catch (SuspendExecution e) {
            // the invocation ended while this branch was blocked or running: nothing more to do
        } finally {
            synchronized (lock) {
                threads.remove(thread);
                running--;
                suspendIfIdle();
            }
            Thread.interrupted();
        }
    }

    /**
     * Blocks this branch until the orchestrator re-invokes the execution: the branch stops counting as running
     * and unwinds once the invocation ends. Never returns normally.
     */
    SuspendExecution blockUntilReinvoked() {
        boolean interrupted = false;
        synchronized (lock) {
            running--;
            suspendIfIdle();
            while (ending == null) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return new SuspendExecution(ending);
        }
    }

    /**
     * Blocks until {@code done} holds (an in-process future completed). While blocked, the thread does not
     * count as running. {@code done} must stay true once it is true.
     */
    void awaitInProcess(BooleanSupplier done) {
        if (done.getAsBoolean()) {
            throwIfEnded();
            return;
        }
        boolean interrupted = false;
        synchronized (lock) {
            boolean counted = threads.contains(Thread.currentThread());
            if (counted) {
                waits.add(done);
                running--;
                suspendIfIdle();
            }
            try {
                while (ending == null && !done.getAsBoolean()) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                if (counted) {
                    waits.remove(done);
                    if (ending == null) {
                        running++;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            throwIfEnded();
        }
    }

    /** Wakes threads waiting in process: something they may wait for has completed. */
    void signal() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /**
     * Ends the invocation unless it already ended; the first ending wins.
     *
     * @return the invocation's ending (the one given, or the earlier one)
     */
    Ending end(Ending reason) {
        List<Runnable> listeners;
        synchronized (lock) {
            if (ending != null) {
                return ending;
            }
            ending = reason;
            lock.notifyAll();
            if (reason.interruptsAtOnce()) {
                interruptOthersLocked();
            }
            listeners = List.copyOf(endListeners);
        }
        listeners.forEach(Runnable::run);
        return reason;
    }

    /** Interrupts every registered thread but the caller, so that branches still running user code unwind. */
    void interruptOthers() {
        synchronized (lock) {
            interruptOthersLocked();
        }
    }

    Ending ending() {
        synchronized (lock) {
            return ending;
        }
    }

    /** Throws {@link SuspendExecution} if the invocation has ended. */
    void throwIfEnded() {
        synchronized (lock) {
            if (ending != null) {
                throw new SuspendExecution(ending);
            }
        }
    }

    private void interruptOthersLocked() {
        Thread self = Thread.currentThread();
        for (Thread thread : threads) {
            if (thread != self) {
                thread.interrupt();
            }
        }
    }

    private void suspendIfIdle() {
        if (ending != null || running > 0) {
            return;
        }
        for (BooleanSupplier wait : waits) {
            if (wait.getAsBoolean()) {
                return;
            }
        }
        // No end listener runs here: with no branch running, no thread waits anywhere but on this lock.
        ending = Ending.SUSPENDED;
        lock.notifyAll();
    }
}
