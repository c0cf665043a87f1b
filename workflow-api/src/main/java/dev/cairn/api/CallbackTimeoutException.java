package dev.cairn.api;

/** A callback that was not completed, or not heartbeated, in time. */
public class CallbackTimeoutException extends DurableExecutionException {

    public CallbackTimeoutException(String message, String operationId, ErrorInfo errorInfo) {
        super(message, operationId, errorInfo);
    }

    public CallbackTimeoutException(String message, String operationId, ErrorInfo errorInfo, Throwable cause) {
        super(message, operationId, errorInfo, cause);
    }
}
