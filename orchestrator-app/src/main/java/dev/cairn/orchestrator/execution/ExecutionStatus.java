package dev.cairn.orchestrator.execution;

/** The statuses of an execution. */
public enum ExecutionStatus {
    RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED;

    /** Whether the execution has ended for good. */
    public boolean isTerminal() {
        return this != RUNNING;
    }
}
