package dev.cairn.orchestrator.execution;

import dev.cairn.orchestrator.api.ProblemException;
import java.util.UUID;
import org.springframework.http.HttpStatus;

/** A start that reuses an execution name with other input: 409. */
public class ExecutionNameConflictException extends ProblemException {

    public ExecutionNameConflictException(String workflow, String executionName, UUID existing) {
        super(HttpStatus.CONFLICT, "Execution name in use", "the workflow '" + workflow + "' already has an execution"
                + " named '" + executionName + "' (" + existing + ") with other input");
    }
}
