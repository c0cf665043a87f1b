package dev.cairn.protocol;

import dev.cairn.api.ErrorInfo;
import java.time.Instant;
import java.util.List;

/**
 * Worker → orchestrator, {@code POST /v1/invocations/complete}: the invocation ended. {@code updates} are
 * checkpoints not yet sent; they are applied with the completion in one transaction. Same fencing as
 * {@link CheckpointRequest}.
 *
 * @param result the handler's result as JSON text (SUCCEEDED)
 * @param error the error that escaped the handler (FAILED)
 * @param startedAt when the worker started the invocation
 * @param endedAt when it ended
 */
public record CompletionRequest(
        String executionId,
        String invocationToken,
        InvocationOutcome outcome,
        String result,
        ErrorInfo error,
        List<OperationUpdate> updates,
        Instant startedAt,
        Instant endedAt) {

    public CompletionRequest {
        updates = updates == null ? List.of() : List.copyOf(updates);
    }
}
