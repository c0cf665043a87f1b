package dev.cairn.api;

/** An at-most-once attempt that was started but whose outcome was never recorded; seen by the retry strategy. */
public class StepInterruptedException extends DurableExecutionException {

    public StepInterruptedException(String message, String operationId, ErrorInfo errorInfo) {
        super(message, operationId, errorInfo);
    }

    public StepInterruptedException(String message, String operationId, ErrorInfo errorInfo, Throwable cause) {
        super(message, operationId, errorInfo, cause);
    }
}
