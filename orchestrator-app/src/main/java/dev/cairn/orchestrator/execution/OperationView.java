package dev.cairn.orchestrator.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;

/** An operation as the REST API shows it; {@code attempt} only on STEP operations. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperationView(
        String id,
        String parentId,
        String type,
        String subType,
        String name,
        String status,
        Integer attempt,
        Instant startedAt,
        Instant endedAt,
        @JsonRawValue String result,
        @JsonRawValue String error,
        Instant scheduledEndAt,
        Instant nextAttemptAt,
        String callbackId,
        UUID childExecutionId) {
}
