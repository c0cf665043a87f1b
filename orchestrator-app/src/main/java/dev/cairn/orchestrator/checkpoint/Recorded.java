package dev.cairn.orchestrator.checkpoint;

import java.util.List;

/**
 * What a checkpoint or completion wrote, as far as metrics care.
 *
 * @param workflow the execution's workflow
 * @param operations the operation rows it upserted
 * @param childWorkflows the workflows of the chained child executions it started
 */
public record Recorded(String workflow, List<OperationRow> operations, List<String> childWorkflows) {

    public Recorded {
        operations = List.copyOf(operations);
        childWorkflows = List.copyOf(childWorkflows);
    }
}
