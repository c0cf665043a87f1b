package dev.cairn.api;

/** A chained execution that was stopped. */
public class InvokeStoppedException extends DurableExecutionException {

    public InvokeStoppedException(String message, String operationId, ErrorInfo errorInfo) {
        super(message, operationId, errorInfo);
    }

    public InvokeStoppedException(String message, String operationId, ErrorInfo errorInfo, Throwable cause) {
        super(message, operationId, errorInfo, cause);
    }
}
