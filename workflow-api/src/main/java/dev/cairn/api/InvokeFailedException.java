package dev.cairn.api;

/** A chained execution that failed; {@link #errorInfo()} is the child execution's error. */
public class InvokeFailedException extends DurableExecutionException {

    public InvokeFailedException(String message, String operationId, ErrorInfo errorInfo) {
        super(message, operationId, errorInfo);
    }

    public InvokeFailedException(String message, String operationId, ErrorInfo errorInfo, Throwable cause) {
        super(message, operationId, errorInfo, cause);
    }
}
