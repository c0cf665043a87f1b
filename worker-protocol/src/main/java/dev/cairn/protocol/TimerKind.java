package dev.cairn.protocol;

/**
 * The kinds of durable timers ({@code timers.kind}, see db-migrations). A timer belongs to one operation (or, for
 * {@link #EXECUTION_TIMEOUT}, to the execution) and fires once; the {@link Lifecycle} says which transition arms
 * and removes each kind and what firing it does.
 */
public enum TimerKind {
    /** A WAIT is due at its {@code scheduledEndAt}: the wait SUCCEEDS. Timer id: the operation id. */
    WAIT,
    /**
     * A PENDING step (a retry or a condition poll) is due at its {@code nextAttemptAt}: it becomes READY. Timer id:
     * the operation id.
     */
    RETRY,
    /** A CALLBACK's {@code timeout} passed: it is TIMED_OUT. Timer id: {@code <operation id>#timeout}. */
    CALLBACK_TIMEOUT,
    /**
     * No heartbeat came within a CALLBACK's {@code heartbeatTimeout}: it is TIMED_OUT. Timer id:
     * {@code <operation id>#heartbeat}.
     */
    CALLBACK_HEARTBEAT,
    /** The execution's timeout passed: it ends TIMED_OUT. Timer id: {@code execution-timeout}. */
    EXECUTION_TIMEOUT;

    /** The timer id of an execution's timeout. */
    public static final String EXECUTION_TIMEOUT_ID = "execution-timeout";

    /** Whether only the outside world (a callback request) can beat this timer. */
    public boolean isCallbackTimer() {
        return this == CALLBACK_TIMEOUT || this == CALLBACK_HEARTBEAT;
    }

    /** The id of this kind's timer of operation {@code operationId} (of the execution, for EXECUTION_TIMEOUT). */
    public String timerId(String operationId) {
        return switch (this) {
            case WAIT, RETRY -> operationId;
            case CALLBACK_TIMEOUT -> operationId + "#timeout";
            case CALLBACK_HEARTBEAT -> operationId + "#heartbeat";
            case EXECUTION_TIMEOUT -> EXECUTION_TIMEOUT_ID;
        };
    }

    /** The {@code reason} of the {@code CallbackTimedOut} event this callback timer records. */
    public String callbackTimeoutReason() {
        return switch (this) {
            case CALLBACK_TIMEOUT -> "TIMEOUT";
            case CALLBACK_HEARTBEAT -> "HEARTBEAT_TIMEOUT";
            default -> throw new IllegalStateException(this + " is not a callback timer");
        };
    }
}
