package dev.cairn.worker.replay;

/** How one run of an invocation ended, from the worker's side. */
public enum RunOutcome {
    /** The handler returned; a SUCCEEDED completion was recorded. */
    SUCCEEDED,
    /** The handler threw (or replay found non-determinism); a FAILED completion was recorded. */
    FAILED,
    /** Every branch waited on something durable; a PENDING completion was recorded. */
    PENDING,
    /** The orchestrator answered {@code 409}: the invocation was abandoned without writing anything else. */
    FENCED,
    /** The orchestrator could not be reached or refused a write: the invocation was abandoned. */
    ABANDONED,
    /** The worker aborted the invocation (shutdown): it stopped writing, as if the process had died. */
    ABORTED;

    /** Whether a completion was recorded by the orchestrator. */
    public boolean isCompleted() {
        return this == SUCCEEDED || this == FAILED || this == PENDING;
    }
}
