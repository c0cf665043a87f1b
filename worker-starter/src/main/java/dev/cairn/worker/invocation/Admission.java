package dev.cairn.worker.invocation;

/** What became of an invocation offered to the {@link InvocationPool}. */
public enum Admission {
    /** It runs now. */
    ACCEPTED,
    /** The same invocation (same token) already runs; nothing new was started. */
    ALREADY_RUNNING,
    /** Every slot is taken. */
    FULL,
    /** The worker is shutting down. */
    STOPPED
}
