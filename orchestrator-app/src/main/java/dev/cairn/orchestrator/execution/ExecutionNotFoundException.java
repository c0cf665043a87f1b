package dev.cairn.orchestrator.execution;

import dev.cairn.orchestrator.api.ProblemException;
import org.springframework.http.HttpStatus;

/** No execution has this id (or the id is not a UUID): 404. */
public class ExecutionNotFoundException extends ProblemException {

    public ExecutionNotFoundException(String executionId) {
        super(HttpStatus.NOT_FOUND, "Execution not found", "no execution has the id '" + executionId + "'");
    }
}
