package dev.cairn.orchestrator.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cairn.protocol.ExecutionStatus;
import java.time.Instant;
import java.util.UUID;

/** An item of the execution list. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecutionSummary(
        UUID executionId,
        String executionName,
        String workflow,
        String version,
        ExecutionStatus status,
        Instant startedAt,
        Instant endedAt) {
}
