package dev.cairn.api;

/** A callback completed with a failure; {@link #operationId()} is the CALLBACK operation's id. */
public class CallbackFailedException extends DurableExecutionException {

    public CallbackFailedException(String message, String operationId, ErrorInfo errorInfo) {
        super(message, operationId, errorInfo);
    }

    public CallbackFailedException(String message, String operationId, ErrorInfo errorInfo, Throwable cause) {
        super(message, operationId, errorInfo, cause);
    }
}
