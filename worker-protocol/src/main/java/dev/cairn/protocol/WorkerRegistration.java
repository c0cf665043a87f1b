package dev.cairn.protocol;

import java.util.List;

/**
 * Worker → orchestrator, {@code POST /v1/workers/register}: announce (or re-announce) a worker.
 *
 * @param workerId stable id of this worker process
 * @param endpoint base URL the orchestrator posts invocations to
 * @param capacity invocations the worker runs at once
 * @param workflows what it serves
 * @param invocationSecret a random secret the worker made at start (at least 128 bits from a {@code SecureRandom},
 *     URL-safe Base64 without padding); the orchestrator sends it back as {@code Authorization: Bearer <secret>} on
 *     every invocation, and the worker runs only invocations that carry it. Null from workers that predate it.
 * @param invocationBatches whether the worker takes several invocations in one {@link DispatchBatch}
 *     ({@code POST /cairn/invocations/batch}); absent (false) from workers that predate it, which get one request
 *     each
 */
public record WorkerRegistration(String workerId, String endpoint, int capacity, List<WorkflowRef> workflows,
        String invocationSecret, Boolean invocationBatches) {

    public WorkerRegistration {
        workflows = workflows == null ? List.of() : List.copyOf(workflows);
        invocationBatches = Boolean.TRUE.equals(invocationBatches);
    }

    /** A registration of a worker that takes one invocation per request. */
    public WorkerRegistration(String workerId, String endpoint, int capacity, List<WorkflowRef> workflows,
            String invocationSecret) {
        this(workerId, endpoint, capacity, workflows, invocationSecret, false);
    }

    /** A registration without an invocation secret (invocations then come without {@code Authorization}). */
    public WorkerRegistration(String workerId, String endpoint, int capacity, List<WorkflowRef> workflows) {
        this(workerId, endpoint, capacity, workflows, null, false);
    }

    /** Keeps the invocation secret out of logs. */
    @Override
    public String toString() {
        return "WorkerRegistration[workerId=" + workerId + ", endpoint=" + endpoint + ", capacity=" + capacity
                + ", workflows=" + workflows + ", invocationSecret=" + (invocationSecret == null ? "null" : "****")
                + ", invocationBatches=" + invocationBatches + "]";
    }
}
