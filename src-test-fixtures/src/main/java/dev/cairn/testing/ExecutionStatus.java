package dev.cairn.testing;

/** An execution's status, as the orchestrator's REST API names it. */
public enum ExecutionStatus {
    RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED;

    /** Whether the execution has ended for good. */
    public boolean isTerminal() {
        return this != RUNNING;
    }
}
