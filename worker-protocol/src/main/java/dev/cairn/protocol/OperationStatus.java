package dev.cairn.protocol;

/**
 * Operation statuses, as AWS Lambda durable functions name them, and the forward order of an operation's lifecycle
 * ({@link #movesTo}): the one rule every writer of operations follows. Which status each update, timer, callback
 * request or child close leads to is the {@link Lifecycle}'s table; this rule decides whether a worker's update
 * applies at all.
 */
public enum OperationStatus {
    STARTED, PENDING, READY, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, STOPPED;

    /** Whether the operation has finished for good. */
    public boolean isClosed() {
        return switch (this) {
            case SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, STOPPED -> true;
            case STARTED, PENDING, READY -> false;
        };
    }

    /** Where the status stands within one attempt: STARTED 0 &lt; PENDING 1 &lt; READY 2 &lt; every closed status 3. */
    public int stage() {
        return switch (this) {
            case STARTED -> 0;
            case PENDING -> 1;
            case READY -> 2;
            case SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, STOPPED -> 3;
        };
    }

    /**
     * Whether an operation recorded with this status at {@code attempt} moves forward to {@code next} at
     * {@code nextAttempt}: attempt first, then {@link #stage}; a closed operation never moves. So a step goes STARTED
     * a1 → PENDING a1 (retry) → READY a1 (its timer) → STARTED a2 → … → SUCCEEDED, a condition READY a1 → PENDING
     * a2 (the next poll), a WAIT STARTED → SUCCEEDED; an update that repeats what is recorded, or that something
     * else has overtaken (a WAIT START after the wait fired, a RETRY after the step became READY), does not move it.
     *
     * @param attempt the recorded attempt (0 for an operation without attempts)
     * @param nextAttempt the update's attempt (the recorded one when the update names none)
     */
    public boolean movesTo(OperationStatus next, int attempt, int nextAttempt) {
        if (isClosed()) {
            return false;
        }
        return nextAttempt != attempt ? nextAttempt > attempt : next.stage() > stage();
    }
}
