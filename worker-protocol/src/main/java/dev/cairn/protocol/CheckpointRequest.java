package dev.cairn.protocol;

import java.util.List;

/**
 * Worker → orchestrator, {@code POST /v1/invocations/checkpoints}: record these updates. {@code 200} once they
 * are durable; {@code 409} (problem+json) when the token is not the execution's current one, after which the
 * worker abandons the invocation without writing anything else.
 */
public record CheckpointRequest(String executionId, String invocationToken, List<OperationUpdate> updates) {

    public CheckpointRequest {
        updates = updates == null ? List.of() : List.copyOf(updates);
    }
}
