package dev.cairn.protocol;

/** What a worker asks the orchestrator to record about an operation. */
public enum OperationAction {
    /** The operation (or a step attempt) started. */
    START,
    /** It succeeded, with {@link OperationUpdate#payload()} as its result. */
    SUCCEED,
    /** It failed for good, with {@link OperationUpdate#error()}. */
    FAIL,
    /** A step attempt failed and the step runs again at {@link OperationUpdate#nextAttemptAt()}. */
    RETRY,
    /**
     * A waitForCondition poll: the check ran and returned {@link OperationUpdate#payload()} as the new state; the
     * next poll runs at {@link OperationUpdate#nextAttemptAt()}.
     */
    CONTINUE,
    /**
     * The operation was abandoned (a branch or iteration of a batch that completed early): it ends CANCELLED,
     * together with every open operation inside it, and their timers are removed.
     */
    CANCEL
}
