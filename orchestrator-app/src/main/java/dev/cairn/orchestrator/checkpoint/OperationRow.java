package dev.cairn.orchestrator.checkpoint;

import java.time.Instant;

/**
 * The net effect of one request's updates on one operation: the values to write, null meaning "keep what is
 * stored" (except {@code status}, which is always written).
 *
 * @param result JSON text
 * @param error stored error JSON
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
        Instant nextAttemptAt) {

    /** This row with a later update's values laid over it. */
    OperationRow then(OperationRow later) {
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
                pick(later.nextAttemptAt, nextAttemptAt));
    }

    private static <T> T pick(T later, T earlier) {
        return later != null ? later : earlier;
    }
}
