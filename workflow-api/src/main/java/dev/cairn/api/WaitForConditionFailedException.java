package dev.cairn.api;

/** A condition check that threw, or ran out of attempts. */
public class WaitForConditionFailedException extends DurableExecutionException {

    public WaitForConditionFailedException(String message, String operationId, ErrorInfo errorInfo) {
        super(message, operationId, errorInfo);
    }

    public WaitForConditionFailedException(String message, String operationId, ErrorInfo errorInfo, Throwable cause) {
        super(message, operationId, errorInfo, cause);
    }
}
