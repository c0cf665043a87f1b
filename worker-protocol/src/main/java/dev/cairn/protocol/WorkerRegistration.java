package dev.cairn.protocol;

import java.util.List;

/**
 * Worker → orchestrator, {@code POST /v1/workers/register}: announce (or re-announce) a worker.
 *
 * @param workerId stable id of this worker process
 * @param endpoint base URL the orchestrator posts invocations to
 * @param capacity invocations the worker runs at once
 * @param workflows what it serves
 */
public record WorkerRegistration(String workerId, String endpoint, int capacity, List<WorkflowRef> workflows) {

    public WorkerRegistration {
        workflows = workflows == null ? List.of() : List.copyOf(workflows);
    }
}
