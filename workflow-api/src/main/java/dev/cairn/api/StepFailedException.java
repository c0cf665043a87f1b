package dev.cairn.api;

/** A step whose retries ran out (including by timeout or interruption); {@link #errorInfo()} is the last attempt's error. */
public class StepFailedException extends DurableExecutionException {

    public StepFailedException(String message, String operationId, ErrorInfo errorInfo) {
        super(message, operationId, errorInfo);
    }

    public StepFailedException(String message, String operationId, ErrorInfo errorInfo, Throwable cause) {
        super(message, operationId, errorInfo, cause);
    }
}
