package dev.cairn.api;

/** An attempt that ran longer than its {@link StepConfig#timeout()}; seen by the retry strategy. */
public class StepTimeoutException extends DurableExecutionException {

    public StepTimeoutException(String message, String operationId, ErrorInfo errorInfo) {
        super(message, operationId, errorInfo);
    }

    public StepTimeoutException(String message, String operationId, ErrorInfo errorInfo, Throwable cause) {
        super(message, operationId, errorInfo, cause);
    }
}
