package dev.cairn.api;

/** A result or payload larger than the orchestrator's limit. */
public class PayloadTooLargeException extends DurableExecutionException {

    public PayloadTooLargeException(String message, String operationId, ErrorInfo errorInfo) {
        super(message, operationId, errorInfo);
    }

    public PayloadTooLargeException(String message, String operationId, ErrorInfo errorInfo, Throwable cause) {
        super(message, operationId, errorInfo, cause);
    }
}
