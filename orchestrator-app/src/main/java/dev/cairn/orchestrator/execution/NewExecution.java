package dev.cairn.orchestrator.execution;

import java.time.Instant;
import java.util.UUID;

/**
 * An execution about to be stored.
 *
 * @param input the input as JSON text, null when none
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

    /** How the REST API shows it right after the start. */
    public ExecutionView view() {
        return new ExecutionView(executionId, executionName, workflow, version, ExecutionStatus.RUNNING, input, null,
                null, startedAt, null, timeoutAt, null);
    }
}
