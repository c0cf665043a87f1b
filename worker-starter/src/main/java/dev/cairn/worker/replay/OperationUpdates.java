package dev.cairn.worker.replay;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationOptions;
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

    /** START of a CALLBACK (options carry the callback id and timeouts). */
    OperationUpdate startCallback(OperationOptions options) {
        return update(OperationAction.START, null, null, null, null, null, options);
    }

    /** START of a CHAINED_INVOKE: the child's input and where to run it. */
    OperationUpdate startInvoke(String input, OperationOptions options) {
        return update(OperationAction.START, null, input, null, null, null, options);
    }

    /** A condition poll that goes on: the new state and when to poll next. */
    OperationUpdate continueWith(int attempt, String state, Instant nextAttemptAt) {
        return update(OperationAction.CONTINUE, attempt, state, null, null, nextAttemptAt);
    }

    /** An abandoned context: it and every open operation inside it end CANCELLED. */
    OperationUpdate cancel() {
        return update(OperationAction.CANCEL, null, null, null, null, null);
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
        return update(action, attempt, payload, error, scheduledEndAt, nextAttemptAt, null);
    }

    private OperationUpdate update(OperationAction action, Integer attempt, String payload, ErrorInfo error,
            Instant scheduledEndAt, Instant nextAttemptAt, OperationOptions options) {
        return new OperationUpdate(id, parentId, type, subType, name, action, attempt, payload, error,
                scheduledEndAt, nextAttemptAt, options);
    }
}
