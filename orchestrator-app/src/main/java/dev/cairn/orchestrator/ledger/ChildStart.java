package dev.cairn.orchestrator.ledger;

import java.time.Instant;
import java.util.UUID;

/**
 * A chained child execution to start (unless it exists: a replayed START never starts it twice).
 *
 * @param input the child's input as JSON text, or null
 * @param timeoutAt when the child times out, or null
 * @param parentOperationId the parent's CHAINED_INVOKE operation
 */
public record ChildStart(UUID executionId, String workflow, String version, String input, Instant timeoutAt,
        String parentOperationId) {
}
