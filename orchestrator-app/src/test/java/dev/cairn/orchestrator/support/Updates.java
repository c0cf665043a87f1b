package dev.cairn.orchestrator.support;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.OperationUpdate;
import java.time.Instant;

/** Builders of the updates a worker sends. */
public final class Updates {

    private Updates() {
    }

    public static OperationUpdate stepStart(String id, String name, int attempt) {
        return new OperationUpdate(id, null, OperationType.STEP, "Step", name, OperationAction.START, attempt, null,
                null, null, null);
    }

    public static OperationUpdate stepSucceed(String id, String name, int attempt, String payload) {
        return new OperationUpdate(id, null, OperationType.STEP, "Step", name, OperationAction.SUCCEED, attempt,
                payload, null, null, null);
    }

    public static OperationUpdate stepRetry(String id, String name, int attempt, String message, Instant next) {
        return new OperationUpdate(id, null, OperationType.STEP, "Step", name, OperationAction.RETRY, attempt, null,
                new ErrorInfo("java.lang.IllegalStateException", message, null), null, next);
    }

    public static OperationUpdate waitStart(String id, String name, Instant until) {
        return new OperationUpdate(id, null, OperationType.WAIT, "Wait", name, OperationAction.START, null, null,
                null, until, null);
    }
}
