package dev.cairn.protocol;

import java.time.Instant;
import java.util.List;

/**
 * Orchestrator → worker, {@code POST {endpoint}/cairn/invocations}: run the execution by replay.
 *
 * @param executionId the execution
 * @param invocationToken the fencing token every checkpoint and the completion of this invocation must carry
 * @param workflow the workflow name
 * @param version the workflow version the execution is pinned to
 * @param input the execution's input as JSON text, or null
 * @param operations every operation recorded so far, in start order
 * @param executionStartedAt when the execution started
 */
public record Invocation(
        String executionId,
        String invocationToken,
        String workflow,
        String version,
        String input,
        List<OperationRecord> operations,
        Instant executionStartedAt) {

    public Invocation {
        operations = operations == null ? List.of() : List.copyOf(operations);
    }
}
