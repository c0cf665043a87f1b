package dev.cairn.orchestrator.worker;

import dev.cairn.protocol.WorkflowRef;
import java.util.List;

/**
 * A worker whose last heartbeat is recent enough.
 *
 * @param leased invocations leased to it now, across all replicas
 */
public record LiveWorker(String workerId, String endpoint, int capacity, int leased, List<WorkflowRef> workflows) {

    public LiveWorker {
        workflows = List.copyOf(workflows);
    }

    /** Whether it serves exactly this workflow and version. */
    public boolean serves(String workflow, String version) {
        return workflows.contains(new WorkflowRef(workflow, version));
    }
}
