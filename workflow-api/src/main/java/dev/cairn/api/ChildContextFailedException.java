package dev.cairn.api;

/** A child context whose function threw. */
public class ChildContextFailedException extends DurableExecutionException {

    public ChildContextFailedException(String message, String operationId, ErrorInfo errorInfo) {
        super(message, operationId, errorInfo);
    }

    public ChildContextFailedException(String message, String operationId, ErrorInfo errorInfo, Throwable cause) {
        super(message, operationId, errorInfo, cause);
    }
}
