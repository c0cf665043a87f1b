package dev.cairn.api;

/** The code asked for an operation that differs from the one recorded under the same id; the execution fails. */
public class NonDeterministicExecutionException extends DurableExecutionException {

    public NonDeterministicExecutionException(String message, String operationId, ErrorInfo errorInfo) {
        super(message, operationId, errorInfo);
    }

    public NonDeterministicExecutionException(String message, String operationId, ErrorInfo errorInfo, Throwable cause) {
        super(message, operationId, errorInfo, cause);
    }
}
