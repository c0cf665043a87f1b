package dev.cairn.orchestrator.execution;

import dev.cairn.orchestrator.api.ProblemException;
import org.springframework.http.HttpStatus;

/** A start for a workflow (or version) that no worker ever registered: 404. */
public class WorkflowNotFoundException extends ProblemException {

    private WorkflowNotFoundException(String detail) {
        super(HttpStatus.NOT_FOUND, "Workflow not found", detail);
    }

    public static WorkflowNotFoundException workflow(String workflow) {
        return new WorkflowNotFoundException("no worker ever registered the workflow '" + workflow + "'");
    }

    public static WorkflowNotFoundException version(String workflow, String version) {
        return new WorkflowNotFoundException("no worker ever registered version '" + version + "' of the workflow '"
                + workflow + "'");
    }
}
