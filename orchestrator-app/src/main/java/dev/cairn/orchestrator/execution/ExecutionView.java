package dev.cairn.orchestrator.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.cairn.protocol.ExecutionStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * An execution as the REST API shows it. {@code input}, {@code result} and {@code error} are the stored JSON text,
 * written into the answer as they are. Absent values are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecutionView(
        UUID executionId,
        String executionName,
        String workflow,
        String version,
        ExecutionStatus status,
        @JsonRawValue String input,
        @JsonRawValue String result,
        @JsonRawValue String error,
        Instant startedAt,
        Instant endedAt,
        Instant timeoutAt,
        UUID parentExecutionId) {
}
