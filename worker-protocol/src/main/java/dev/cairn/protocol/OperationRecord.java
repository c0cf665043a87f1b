package dev.cairn.protocol;

import dev.cairn.api.ErrorInfo;
import java.time.Instant;
import java.util.Optional;

/**
 * An operation as recorded by the orchestrator, sent to the worker for replay.
 *
 * @param result the operation's result as JSON text (null when none)
 */
public record OperationRecord(
        String id,
        String parentId,
        OperationType type,
        String subType,
        String name,
        OperationStatus status,
        Integer attempt,
        Instant startedAt,
        Instant endedAt,
        String result,
        ErrorInfo error,
        Instant scheduledEndAt,
        Instant nextAttemptAt,
        String callbackId,
        String childExecutionId) {

    /** The subtype, when this version knows it (a newer worker's is empty here: it was stored as sent). */
    public Optional<OperationSubType> knownSubType() {
        return OperationSubType.find(subType);
    }
}
