package dev.cairn.orchestrator.dispatch;

/** How a worker answered an invocation. */
enum SendOutcome {
    /** 202: the worker runs it. */
    ACCEPTED,
    /** 503: no free capacity. */
    BUSY,
    /** 404: it does not serve the workflow version (any more). */
    NOT_SERVED,
    /** Unreachable, timed out, circuit open or any other answer. */
    FAILED
}
