package dev.cairn.orchestrator.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;

/**
 * An operation as the REST API shows it; {@code attempt} only on STEP operations. {@code error} is the operation's
 * own error (it failed, or a step's latest attempt failed and it waits to retry); an operation that SUCCEEDED after
 * failed attempts shows the latest failed attempt's error as {@code lastAttemptError} instead.
 */
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
        UUID childExecutionId,
        @JsonRawValue String lastAttemptError) {

    /** The view of a stored operation: a SUCCEEDED operation's stored error is an earlier attempt's. */
    static OperationView of(String id, String parentId, String type, String subType, String name, String status,
            Integer attempt, Instant startedAt, Instant endedAt, String result, String storedError,
            Instant scheduledEndAt, Instant nextAttemptAt, String callbackId, UUID childExecutionId) {
        boolean earlierAttempts = "SUCCEEDED".equals(status);
        return new OperationView(id, parentId, type, subType, name, status, attempt, startedAt, endedAt, result,
                earlierAttempts ? null : storedError, scheduledEndAt, nextAttemptAt, callbackId, childExecutionId,
                earlierAttempts ? storedError : null);
    }
}
