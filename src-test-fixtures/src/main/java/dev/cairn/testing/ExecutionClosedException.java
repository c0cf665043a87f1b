package dev.cairn.testing;

/** The execution has already closed otherwise (SUCCEEDED, FAILED, TIMED_OUT), so it cannot be stopped ({@code 409}). */
public class ExecutionClosedException extends RuntimeException {

    private final String executionId;
    private final ExecutionStatus status;

    public ExecutionClosedException(String executionId, ExecutionStatus status) {
        super("execution " + executionId + " is already " + status);
        this.executionId = executionId;
        this.status = status;
    }

    public String executionId() {
        return executionId;
    }

    public ExecutionStatus status() {
        return status;
    }
}
