package dev.cairn.worker.replay;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.OperationUpdate;
import java.time.Instant;

/** Builds the {@link OperationUpdate}s of one operation. */
record OperationUpdates(String id, String parentId, OperationType type, String subType, String name) {

    OperationUpdate start() {
        return update(OperationAction.START, null, null, null, null, null);
    }

    OperationUpdate startAttempt(int attempt) {
        return update(OperationAction.START, attempt, null, null, null, null);
    }

    OperationUpdate startWait(Instant scheduledEndAt) {
        return update(OperationAction.START, null, null, null, scheduledEndAt, null);
    }

    OperationUpdate succeed(Integer attempt, String payload) {
        return update(OperationAction.SUCCEED, attempt, payload, null, null, null);
    }

    OperationUpdate fail(Integer attempt, ErrorInfo error) {
        return update(OperationAction.FAIL, attempt, null, error, null, null);
    }

    OperationUpdate retry(int attempt, ErrorInfo error, Instant nextAttemptAt) {
        return update(OperationAction.RETRY, attempt, null, error, null, nextAttemptAt);
    }

    private OperationUpdate update(OperationAction action, Integer attempt, String payload, ErrorInfo error,
            Instant scheduledEndAt, Instant nextAttemptAt) {
        return new OperationUpdate(id, parentId, type, subType, name, action, attempt, payload, error,
                scheduledEndAt, nextAttemptAt);
    }
}
