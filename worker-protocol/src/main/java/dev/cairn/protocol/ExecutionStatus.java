package dev.cairn.protocol;

/**
 * An execution's status, as the orchestrator stores it ({@code executions.status}) and the test kit reports it:
 * RUNNING until it closes once, for good, as SUCCEEDED or FAILED (its last invocation completed so), TIMED_OUT (its
 * execution timeout fired) or STOPPED (stopped from outside, or with a stopped ancestor). The {@link Lifecycle}'s
 * execution rows say what each close records.
 */
public enum ExecutionStatus {
    RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED;

    /** Whether the execution has ended for good. */
    public boolean isClosed() {
        return this != RUNNING;
    }

    /**
     * The status a chained parent's CHAINED_INVOKE operation takes when this child execution closes with it
     * (the same name).
     *
     * @throws IllegalStateException for RUNNING
     */
    public OperationStatus asChainedInvoke() {
        if (!isClosed()) {
            throw new IllegalStateException("a running execution closes no chained invoke");
        }
        return OperationStatus.valueOf(name());
    }
}
