package dev.cairn.orchestrator.checkpoint;

import dev.cairn.orchestrator.ledger.OperationRow;
import java.util.List;

/**
 * What a checkpoint or completion wrote, as far as metrics care.
 *
 * @param workflow the execution's workflow
 * @param operations the operation rows it upserted
 * @param childWorkflows the workflows of the chained child executions it started
 * @param repeated whether it was a completion sent again, answered as the first was and writing nothing
 */
public record Recorded(String workflow, List<OperationRow> operations, List<String> childWorkflows,
        boolean repeated) {

    public Recorded {
        operations = List.copyOf(operations);
        childWorkflows = List.copyOf(childWorkflows);
    }

    public Recorded(String workflow, List<OperationRow> operations, List<String> childWorkflows) {
        this(workflow, operations, childWorkflows, false);
    }

    /** A completion of the execution's last completed invocation sent again: nothing written. */
    static Recorded repeatedCompletion(String workflow) {
        return new Recorded(workflow, List.of(), List.of(), true);
    }
}
