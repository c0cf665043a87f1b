package dev.cairn.api;

/** A chained execution that timed out. */
public class InvokeTimedOutException extends DurableExecutionException {

    public InvokeTimedOutException(String message, String operationId, ErrorInfo errorInfo) {
        super(message, operationId, errorInfo);
    }

    public InvokeTimedOutException(String message, String operationId, ErrorInfo errorInfo, Throwable cause) {
        super(message, operationId, errorInfo, cause);
    }
}
