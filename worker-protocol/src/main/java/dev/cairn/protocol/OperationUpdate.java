package dev.cairn.protocol;

import dev.cairn.api.ErrorInfo;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

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
 * @param nextAttemptAt when the next attempt of a step may run (RETRY, CONTINUE)
 * @param options what a CALLBACK or CHAINED_INVOKE START needs beyond the common fields (null otherwise)
 * @param startedAt when the step's body began (SUCCEED, FAIL or RETRY of a STEP whose START travels in the same
 *        request, after the body ran); null lets the orchestrator record the time it received the START
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
        Instant nextAttemptAt,
        OperationOptions options,
        Instant startedAt) {

    public OperationUpdate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(action, "action");
    }

    /** An update without a worker-side start time. */
    public OperationUpdate(String id, String parentId, OperationType type, String subType, String name,
            OperationAction action, Integer attempt, String payload, ErrorInfo error, Instant scheduledEndAt,
            Instant nextAttemptAt, OperationOptions options) {
        this(id, parentId, type, subType, name, action, attempt, payload, error, scheduledEndAt, nextAttemptAt, options,
                null);
    }

    /** The subtype, when this version knows it (a newer worker's is empty here, and stored as sent). */
    public Optional<OperationSubType> knownSubType() {
        return OperationSubType.find(subType);
    }

    /** This update, saying that the step's body began at {@code startedAt}. */
    public OperationUpdate withStartedAt(Instant startedAt) {
        return new OperationUpdate(id, parentId, type, subType, name, action, attempt, payload, error, scheduledEndAt,
                nextAttemptAt, options, startedAt);
    }

    /** An update without {@link OperationOptions}. */
    public OperationUpdate(String id, String parentId, OperationType type, String subType, String name,
            OperationAction action, Integer attempt, String payload, ErrorInfo error, Instant scheduledEndAt,
            Instant nextAttemptAt) {
        this(id, parentId, type, subType, name, action, attempt, payload, error, scheduledEndAt, nextAttemptAt, null,
                null);
    }
}
