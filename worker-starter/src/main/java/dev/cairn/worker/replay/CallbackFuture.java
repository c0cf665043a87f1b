package dev.cairn.worker.replay;

import dev.cairn.api.CallbackFailedException;
import dev.cairn.api.CallbackTimeoutException;
import dev.cairn.api.DurableCallback;
import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.OperationRecord;
import java.lang.reflect.Type;

/**
 * A callback as the code holds it. It is done only when the invocation brought its outcome along: a callback
 * completes outside, between invocations, so {@link #get()} on an open one blocks the branch until the invocation
 * suspends, and the next invocation replays to it with the outcome recorded.
 */
final class CallbackFuture<T> extends EngineFuture<T> implements DurableCallback<T> {

    private final String operationId;
    private final String name;
    private final Type type;
    private final String callbackId;
    private final OperationRecord recorded;
    private final long completedAs;

    CallbackFuture(ReplaySession session, String operationId, String name, Type type, String callbackId,
            OperationRecord recorded) {
        super(session);
        this.operationId = operationId;
        this.name = name;
        this.type = type;
        this.callbackId = callbackId;
        this.recorded = recorded;
        this.completedAs = recorded != null && recorded.status().isClosed()
                ? session.recordedCompletion(recorded)
                : NOT_DONE;
    }

    @Override
    public String callbackId() {
        return callbackId;
    }

    @Override
    public boolean isDone() {
        return completedAs != NOT_DONE;
    }

    @Override
    long completedAs() {
        return completedAs;
    }

    @Override
    Throwable failure() {
        return switch (recorded.status()) {
            case SUCCEEDED -> null;
            case TIMED_OUT -> new CallbackTimeoutException("Callback '" + name + "' timed out", operationId,
                    error(CallbackTimeoutException.class, "timed out"));
            case FAILED -> failed(error(CallbackFailedException.class, "failed"));
            case CANCELLED, STOPPED -> failed(error(CallbackFailedException.class, "ended " + recorded.status()));
            case STARTED, PENDING, READY -> throw new IllegalStateException("callback " + operationId + " is open");
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    T value() {
        return (T) session().decode(null, recorded.result(), type, operationId);
    }

    private CallbackFailedException failed(ErrorInfo error) {
        return new CallbackFailedException("Callback '" + name + "' failed: " + error.message(), operationId, error);
    }

    private ErrorInfo error(Class<?> fallbackType, String what) {
        if (recorded.error() != null) {
            return recorded.error();
        }
        return new ErrorInfo(fallbackType.getName(), "Callback '" + name + "' " + what, null);
    }
}
