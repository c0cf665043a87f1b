package dev.cairn.orchestrator.worker;

import dev.cairn.protocol.WorkflowRef;
import java.util.List;

/**
 * A worker whose last heartbeat is recent enough.
 *
 * @param leased invocations leased to it now, across all replicas
 * @param invocationSecret the secret to send as {@code Authorization: Bearer} with its invocations, null for none
 */
public record LiveWorker(String workerId, String endpoint, int capacity, int leased, List<WorkflowRef> workflows,
        String invocationSecret) {

    public LiveWorker {
        workflows = List.copyOf(workflows);
    }

    /** A worker that registered no invocation secret. */
    public LiveWorker(String workerId, String endpoint, int capacity, int leased, List<WorkflowRef> workflows) {
        this(workerId, endpoint, capacity, leased, workflows, null);
    }

    /** Keeps the invocation secret out of logs. */
    @Override
    public String toString() {
        return "LiveWorker[workerId=" + workerId + ", endpoint=" + endpoint + ", capacity=" + capacity + ", leased="
                + leased + ", workflows=" + workflows + "]";
    }

    /** Whether it serves exactly this workflow and version. */
    public boolean serves(String workflow, String version) {
        return workflows.contains(new WorkflowRef(workflow, version));
    }
}
