package dev.cairn.orchestrator.ledger;

import dev.cairn.protocol.Cause;
import dev.cairn.protocol.Lifecycle;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import java.time.Duration;
import java.time.Instant;

/**
 * The net effect of one request's updates on one operation: the values to write, null meaning "keep what is
 * stored" (except {@code status}, which is always written).
 *
 * @param result JSON text
 * @param error stored error JSON
 * @param callbackId a CALLBACK's id
 * @param heartbeatTimeout a CALLBACK's heartbeat timeout
 * @param childExecutionId a CHAINED_INVOKE's child execution
 * @param startedAt when a step's body began, as the worker sent it; null for "when the orchestrator received the
 *        START" (written only when the operation is new)
 */
public record OperationRow(
        String id,
        String parentId,
        String type,
        String subType,
        String name,
        String status,
        Integer attempt,
        Instant endedAt,
        String result,
        String error,
        Instant scheduledEndAt,
        Instant nextAttemptAt,
        String callbackId,
        Duration heartbeatTimeout,
        String childExecutionId,
        Instant startedAt) {

    /** A row without a worker-side start time. */
    public OperationRow(String id, String parentId, String type, String subType, String name, String status,
            Integer attempt, Instant endedAt, String result, String error, Instant scheduledEndAt,
            Instant nextAttemptAt, String callbackId, Duration heartbeatTimeout, String childExecutionId) {
        this(id, parentId, type, subType, name, status, attempt, endedAt, result, error, scheduledEndAt,
                nextAttemptAt, callbackId, heartbeatTimeout, childExecutionId, null);
    }

    /** A row without callback or chained-invoke values. */
    public OperationRow(String id, String parentId, String type, String subType, String name, String status,
            Integer attempt, Instant endedAt, String result, String error, Instant scheduledEndAt,
            Instant nextAttemptAt) {
        this(id, parentId, type, subType, name, status, attempt, endedAt, result, error, scheduledEndAt,
                nextAttemptAt, null, null, null, null);
    }

    /** This row with a later update's values laid over it. */
    public OperationRow then(OperationRow later) {
        return new OperationRow(id,
                pick(later.parentId, parentId),
                type,
                pick(later.subType, subType),
                pick(later.name, name),
                later.status,
                pick(later.attempt, attempt),
                pick(later.endedAt, endedAt),
                pick(later.result, result),
                pick(later.error, error),
                pick(later.scheduledEndAt, scheduledEndAt),
                pick(later.nextAttemptAt, nextAttemptAt),
                pick(later.callbackId, callbackId),
                pick(later.heartbeatTimeout, heartbeatTimeout),
                pick(later.childExecutionId, childExecutionId),
                pick(later.startedAt, startedAt));
    }

    /** This row, cancelled at {@code now} (an enclosing context was cancelled). */
    public OperationRow cancelled(Instant now) {
        String cancelled = Lifecycle.of(OperationType.valueOf(type), subType, Cause.CONTEXT_CANCELLED).next().name();
        return new OperationRow(id, parentId, type, subType, name, cancelled, attempt, now, result, error,
                scheduledEndAt, nextAttemptAt, callbackId, heartbeatTimeout, childExecutionId, startedAt);
    }

    /**
     * Whether a later update of the same request, to {@code next} at {@code nextAttempt} (null: no attempt), moves
     * the operation forward from this row ({@link OperationStatus#movesTo}): within a request as across requests, an
     * update that does not is ignored.
     */
    public boolean movesTo(OperationStatus next, Integer nextAttempt) {
        int recorded = attempt == null ? 0 : attempt;
        return OperationStatus.valueOf(status).movesTo(next, recorded, nextAttempt == null ? recorded : nextAttempt);
    }

    /** Whether the row leaves the operation open. */
    public boolean open() {
        return !OperationStatus.valueOf(status).isClosed();
    }

    private static <T> T pick(T later, T earlier) {
        return later != null ? later : earlier;
    }
}
