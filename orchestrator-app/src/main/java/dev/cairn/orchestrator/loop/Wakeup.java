package dev.cairn.orchestrator.loop;

import java.time.Duration;

/** A one-slot signal: {@link #signal()} wakes one pending or the next {@link #await(Duration)}. */
public final class Wakeup {

    private boolean signalled;

    /** Wakes the waiter, or the next one to wait. */
    public synchronized void signal() {
        signalled = true;
        notifyAll();
    }

    /**
     * Waits until signalled or until {@code timeout} passed, and consumes the signal.
     *
     * @return whether a signal arrived
     */
    public synchronized boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        while (!signalled) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            wait(Math.max(1, remaining / 1_000_000), 0);
        }
        signalled = false;
        return true;
    }
}
