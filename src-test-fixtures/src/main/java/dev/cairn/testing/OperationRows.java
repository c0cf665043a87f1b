package dev.cairn.testing;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationUpdate;
import java.time.Instant;

/** Operation records made from updates and changed field by field, as the orchestrator's rows. */
final class OperationRows {

    private OperationRows() {
    }

    static OperationRecord row(OperationUpdate u, OperationStatus status, Integer attempt, Instant endedAt,
            String result, ErrorInfo error, Instant scheduledEndAt, Instant nextAttemptAt, String callbackId,
            String childExecutionId) {
        return new OperationRecord(u.id(), u.parentId(), u.type(), u.subType(), u.name(), status, attempt,
                u.startedAt(), endedAt, result, error, scheduledEndAt, nextAttemptAt, callbackId, childExecutionId);
    }

    /** {@code later}'s values over {@code earlier}'s, a null keeping the earlier value (status always later's). */
    static OperationRecord overlay(OperationRecord earlier, OperationRecord later) {
        return new OperationRecord(earlier.id(), pick(later.parentId(), earlier.parentId()), earlier.type(),
                pick(later.subType(), earlier.subType()), pick(later.name(), earlier.name()), later.status(),
                pick(later.attempt(), earlier.attempt()), pick(earlier.startedAt(), later.startedAt()),
                pick(later.endedAt(), earlier.endedAt()), pick(later.result(), earlier.result()),
                pick(later.error(), earlier.error()), pick(later.scheduledEndAt(), earlier.scheduledEndAt()),
                pick(later.nextAttemptAt(), earlier.nextAttemptAt()), pick(later.callbackId(), earlier.callbackId()),
                pick(later.childExecutionId(), earlier.childExecutionId()));
    }

    static OperationRecord withStartedAt(OperationRecord r, Instant startedAt) {
        return new OperationRecord(r.id(), r.parentId(), r.type(), r.subType(), r.name(), r.status(), r.attempt(),
                startedAt, r.endedAt(), r.result(), r.error(), r.scheduledEndAt(), r.nextAttemptAt(), r.callbackId(),
                r.childExecutionId());
    }

    /** The record closed (or moved) to {@code status} at {@code endedAt}, with a result or error when given. */
    static OperationRecord with(OperationRecord r, OperationStatus status, Instant endedAt, String result,
            ErrorInfo error) {
        return new OperationRecord(r.id(), r.parentId(), r.type(), r.subType(), r.name(), status, r.attempt(),
                r.startedAt(), endedAt, result != null ? result : r.result(), error != null ? error : r.error(),
                r.scheduledEndAt(), r.nextAttemptAt(), r.callbackId(), r.childExecutionId());
    }

    static OperationRecord with(OperationRecord r, OperationStatus status, Instant endedAt) {
        return with(r, status, endedAt, null, null);
    }

    /** An attempt for {@link OperationStatus#movesTo}: absent keeps {@code recorded}, and counts as 0. */
    static int attempt(Integer attempt, Integer recorded) {
        return attempt != null ? attempt : recorded != null ? recorded : 0;
    }

    private static <T> T pick(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }
}
