package dev.cairn.protocol;

/** Why an execution changes: see {@link Lifecycle#execution(ExecutionCause)}. */
public enum ExecutionCause {
    /** Started by a client, or as the child of a CHAINED_INVOKE. */
    STARTED,
    /** An invocation completed SUCCEEDED: the workflow returned. */
    INVOCATION_SUCCEEDED,
    /** An invocation completed FAILED: the workflow threw. */
    INVOCATION_FAILED,
    /** An invocation completed PENDING: the workflow waits for something (a timer, a callback, a child). */
    INVOCATION_PENDING,
    /** The running invocation's lease expired (the worker died or was fenced). */
    LEASE_EXPIRED,
    /** The EXECUTION_TIMEOUT timer fired. */
    TIMED_OUT,
    /** Stopped from outside. */
    STOPPED,
    /** A chained ancestor was stopped, and its running descendants with it. */
    ANCESTOR_STOPPED
}
