package dev.cairn.api;

/** Thrown by {@code BatchResult.throwIfError()} when a batch had failures. */
public class BatchCompletionException extends DurableExecutionException {

    public BatchCompletionException(String message, String operationId, ErrorInfo errorInfo) {
        super(message, operationId, errorInfo);
    }

    public BatchCompletionException(String message, String operationId, ErrorInfo errorInfo, Throwable cause) {
        super(message, operationId, errorInfo, cause);
    }
}
