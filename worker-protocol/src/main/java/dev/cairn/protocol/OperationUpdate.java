package dev.cairn.protocol;

import dev.cairn.api.ErrorInfo;
import java.time.Instant;
import java.util.Objects;

/**
 * Worker → orchestrator: one change to one operation. Updates of one request are applied in order, in one
 * transaction.
 *
 * @param id the deterministic operation id ({@code 1}, {@code 3-2}, …)
 * @param parentId the enclosing context's operation id, null at the top level
 * @param attempt the step attempt this update is about (STEP only, from 1)
 * @param payload the result as JSON text (SUCCEED)
 * @param error the error (FAIL, RETRY)
 * @param scheduledEndAt when a WAIT is due (START of a WAIT)
 * @param nextAttemptAt when the next attempt of a step may run (RETRY)
 */
public record OperationUpdate(
        String id,
        String parentId,
        OperationType type,
        String subType,
        String name,
        OperationAction action,
        Integer attempt,
        String payload,
        ErrorInfo error,
        Instant scheduledEndAt,
        Instant nextAttemptAt) {

    public OperationUpdate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(action, "action");
    }
}
