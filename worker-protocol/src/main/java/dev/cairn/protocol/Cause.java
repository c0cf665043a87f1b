package dev.cairn.protocol;

/**
 * Why an operation changes: one of the worker's {@link OperationAction}s, or something the orchestrator does on its
 * own (a timer fires, the outside world completes a callback, a chained child closes, …). The {@link Lifecycle}
 * answers what each cause does to each type of operation.
 */
public enum Cause {
    /** The worker sent START. */
    START(true),
    /** The worker sent SUCCEED. */
    SUCCEED(true),
    /** The worker sent FAIL. */
    FAIL(true),
    /** The worker sent RETRY. */
    RETRY(true),
    /** The worker sent CONTINUE. */
    CONTINUE(true),
    /** The worker sent CANCEL. */
    CANCEL(true),
    /** A CHAINED_INVOKE START named a workflow (or version) that was never registered: it fails at once. */
    INVOKE_TARGET_UNKNOWN(false),
    /** The WAIT timer fired. */
    WAIT_TIMER_DUE(false),
    /** The RETRY timer fired (a retry delay or a condition poll interval passed). */
    RETRY_TIMER_DUE(false),
    /** The CALLBACK_TIMEOUT timer fired. */
    CALLBACK_TIMEOUT_DUE(false),
    /** The CALLBACK_HEARTBEAT timer fired. */
    CALLBACK_HEARTBEAT_DUE(false),
    /** {@code POST /v1/callbacks/{id}/succeed}. */
    CALLBACK_SUCCEEDED(false),
    /** {@code POST /v1/callbacks/{id}/fail}. */
    CALLBACK_FAILED(false),
    /** The chained child execution SUCCEEDED. */
    CHILD_SUCCEEDED(false),
    /** The chained child execution FAILED. */
    CHILD_FAILED(false),
    /** The chained child execution TIMED_OUT. */
    CHILD_TIMED_OUT(false),
    /** The chained child execution was STOPPED. */
    CHILD_STOPPED(false),
    /** A CONTEXT enclosing the operation was cancelled (CANCEL): its open operations go with it. */
    CONTEXT_CANCELLED(false),
    /** The operation's execution was stopped while the operation was open. */
    EXECUTION_STOPPED(false);

    private final boolean workerAction;

    Cause(boolean workerAction) {
        this.workerAction = workerAction;
    }

    /** Whether the worker sends this cause (an {@link OperationAction} of the same name). */
    public boolean isWorkerAction() {
        return workerAction;
    }

    /** The cause of an update the worker sent. */
    public static Cause of(OperationAction action) {
        return valueOf(action.name());
    }

    /** The cause of a timer of {@code kind} firing; EXECUTION_TIMEOUT is the execution's ({@link ExecutionCause}). */
    public static Cause timerDue(TimerKind kind) {
        return switch (kind) {
            case WAIT -> WAIT_TIMER_DUE;
            case RETRY -> RETRY_TIMER_DUE;
            case CALLBACK_TIMEOUT -> CALLBACK_TIMEOUT_DUE;
            case CALLBACK_HEARTBEAT -> CALLBACK_HEARTBEAT_DUE;
            case EXECUTION_TIMEOUT -> throw new IllegalArgumentException("EXECUTION_TIMEOUT closes the execution");
        };
    }

    /** The cause a chained child's close is to its parent's CHAINED_INVOKE operation. */
    public static Cause childClosed(ExecutionStatus child) {
        return switch (child) {
            case SUCCEEDED -> CHILD_SUCCEEDED;
            case FAILED -> CHILD_FAILED;
            case TIMED_OUT -> CHILD_TIMED_OUT;
            case STOPPED -> CHILD_STOPPED;
            case RUNNING -> throw new IllegalArgumentException("a running child closes nothing");
        };
    }
}
