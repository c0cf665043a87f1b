package dev.cairn.orchestrator.notify;

import dev.cairn.orchestrator.loop.Wakeup;

/**
 * Wakes the dispatcher when an invocation ends and its worker has room again, but only if the dispatcher's last
 * pass was held back by a full worker: otherwise no ready execution waits for that room, and a pass would claim
 * nothing (one claim transaction per invocation, the second of an execution run one at a time).
 *
 * <p>The dispatcher reports each pass ({@link #passStarting}, {@link #passEnded}); an ended invocation reports here
 * ({@link #freed}) after its completion committed. An invocation that ends while a pass runs is not lost: the two
 * sides write their own flag before reading the other's (both volatile), so either the invocation sees that the pass
 * was held back and wakes the dispatcher, or the pass sees the freed room and runs again at once. Room freed before
 * a pass starts is counted by that pass's claim, which reads the committed leases.
 */
public final class FreedCapacity {

    private final Wakeup dispatcher;
    private volatile boolean heldBack;
    private volatile boolean freedDuringPass;

    FreedCapacity(Wakeup dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** An invocation ended (its completion committed): its worker has room for one more. */
    public void freed() {
        freedDuringPass = true;
        if (heldBack) {
            dispatcher.signal();
        }
    }

    /** The dispatcher starts a pass; it will count every invocation that ended before this. */
    public void passStarting() {
        freedDuringPass = false;
    }

    /**
     * The dispatcher ended a pass.
     *
     * @param wasHeldBack whether a worker it chose had no room left after the claim
     * @return whether to run another pass at once: it was held back and room was freed while it ran
     */
    public boolean passEnded(boolean wasHeldBack) {
        heldBack = wasHeldBack;
        return wasHeldBack && freedDuringPass;
    }
}
