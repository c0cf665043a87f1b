package dev.cairn.worker.workflow;

/** A {@code @DurableWorkflow} that cannot be served: a duplicate name and version, a bad name, no handler. */
public class InvalidWorkflowException extends RuntimeException {

    public InvalidWorkflowException(String message) {
        super(message);
    }
}
