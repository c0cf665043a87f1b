package dev.cairn.orchestrator.ledger;

import java.time.Instant;
import java.util.UUID;

/**
 * An execution about to be started.
 *
 * @param input the input as JSON text, null when none
 * @param timeoutAt when its {@code EXECUTION_TIMEOUT} timer is due, null for none
 * @param startedDetails the details of its {@code ExecutionStarted} event
 */
public record NewExecution(
        UUID executionId,
        String workflow,
        String version,
        String executionName,
        String input,
        Instant startedAt,
        Instant timeoutAt,
        int retentionDays,
        String startedDetails) {
}
