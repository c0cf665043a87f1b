package dev.cairn.orchestrator.execution;

import dev.cairn.orchestrator.api.ProblemException;
import dev.cairn.protocol.ExecutionStatus;
import org.springframework.http.HttpStatus;

/** A stop of an execution that has already closed: 409, nothing changed. */
public class ExecutionClosedException extends ProblemException {

    public ExecutionClosedException(String executionId, ExecutionStatus status) {
        super(HttpStatus.CONFLICT, "Execution closed", "the execution '" + executionId + "' is already " + status);
    }
}
