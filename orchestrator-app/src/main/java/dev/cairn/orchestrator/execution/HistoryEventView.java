package dev.cairn.orchestrator.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;

/** A history event: {@code seq} counts 1..n per execution. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HistoryEventView(
        long seq,
        String type,
        Instant timestamp,
        String operationId,
        String name,
        @JsonRawValue String details) {
}
