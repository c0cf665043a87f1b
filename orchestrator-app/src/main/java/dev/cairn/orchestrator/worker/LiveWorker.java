package dev.cairn.orchestrator.worker;

import dev.cairn.protocol.WorkflowRef;
import java.util.List;

/**
 * A worker whose last heartbeat is recent enough.
 *
 * @param leased invocations leased to it now, across all replicas
 * @param invocationSecret the secret to send as {@code Authorization: Bearer} with its invocations, null for none
 * @param invocationBatches whether it takes several invocations in one request ({@code POST /cairn/invocations/batch})
 */
public record LiveWorker(String workerId, String endpoint, int capacity, int leased, List<WorkflowRef> workflows,
        String invocationSecret, boolean invocationBatches) {

    public LiveWorker {
        workflows = List.copyOf(workflows);
    }

    /** A worker that takes one invocation per request. */
    public LiveWorker(String workerId, String endpoint, int capacity, int leased, List<WorkflowRef> workflows,
            String invocationSecret) {
        this(workerId, endpoint, capacity, leased, workflows, invocationSecret, false);
    }

    /** A worker that registered no invocation secret and takes one invocation per request. */
    public LiveWorker(String workerId, String endpoint, int capacity, int leased, List<WorkflowRef> workflows) {
        this(workerId, endpoint, capacity, leased, workflows, null, false);
    }

    /** Keeps the invocation secret out of logs. */
    @Override
    public String toString() {
        return "LiveWorker[workerId=" + workerId + ", endpoint=" + endpoint + ", capacity=" + capacity + ", leased="
                + leased + ", workflows=" + workflows + ", invocationBatches=" + invocationBatches + "]";
    }

    /** Whether it serves exactly this workflow and version. */
    public boolean serves(String workflow, String version) {
        return workflows.contains(new WorkflowRef(workflow, version));
    }
}
