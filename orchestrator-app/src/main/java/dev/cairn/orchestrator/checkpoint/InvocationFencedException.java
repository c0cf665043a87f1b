package dev.cairn.orchestrator.checkpoint;

import dev.cairn.orchestrator.api.ProblemException;
import org.springframework.http.HttpStatus;

/**
 * A checkpoint or completion whose invocation token is not the execution's current one (the lease was lost, the
 * execution was dispatched again or it is closed): 409, nothing was written.
 */
public class InvocationFencedException extends ProblemException {

    public InvocationFencedException(String executionId) {
        super(HttpStatus.CONFLICT, "Invocation fenced", "the invocation token is not the current one of execution '"
                + executionId + "' (lease lost, dispatched again or closed); abandon the invocation");
    }
}
