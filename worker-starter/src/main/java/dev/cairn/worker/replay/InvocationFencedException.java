package dev.cairn.worker.replay;

/**
 * The orchestrator refused a write because the invocation token is no longer the execution's current one
 * ({@code 409}): the invocation lost its lease and must be abandoned without writing anything else.
 */
public class InvocationFencedException extends RuntimeException {

    private final String executionId;

    public InvocationFencedException(String executionId, String message) {
        super(message);
        this.executionId = executionId;
    }

    /** The execution whose invocation was fenced. */
    public String executionId() {
        return executionId;
    }
}
