package dev.cairn.protocol;

/** How an invocation ended. */
public enum InvocationOutcome {
    /** The handler returned: the execution SUCCEEDED. */
    SUCCEEDED,
    /** The handler threw: the execution FAILED. */
    FAILED,
    /** Nothing in the invocation could progress: the execution waits for a timer, callback, retry or child. */
    PENDING
}
