package dev.cairn.orchestrator.support;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationOptions;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.OperationUpdate;
import java.time.Duration;
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

    public static OperationUpdate callbackStart(String id, String parentId, String name, String callbackId,
            Duration timeout, Duration heartbeatTimeout) {
        return new OperationUpdate(id, parentId, OperationType.CALLBACK, "Callback", name, OperationAction.START, null,
                null, null, null, null, OperationOptions.callback(callbackId, timeout, heartbeatTimeout));
    }

    public static OperationUpdate conditionContinue(String id, String name, int attempt, String state, Instant next) {
        return new OperationUpdate(id, null, OperationType.STEP, "WaitForCondition", name, OperationAction.CONTINUE,
                attempt, state, null, null, next);
    }

    public static OperationUpdate conditionSucceed(String id, String name, int attempt, String state) {
        return new OperationUpdate(id, null, OperationType.STEP, "WaitForCondition", name, OperationAction.SUCCEED,
                attempt, state, null, null, null);
    }

    public static OperationUpdate contextStart(String id, String parentId, String subType, String name) {
        return new OperationUpdate(id, parentId, OperationType.CONTEXT, subType, name, OperationAction.START, null,
                null, null, null, null);
    }

    public static OperationUpdate contextCancel(String id, String parentId, String subType, String name) {
        return new OperationUpdate(id, parentId, OperationType.CONTEXT, subType, name, OperationAction.CANCEL, null,
                null, null, null, null);
    }

    public static OperationUpdate invokeStart(String id, String name, String input, String workflow, String version,
            Duration timeout) {
        return new OperationUpdate(id, null, OperationType.CHAINED_INVOKE, "ChainedInvoke", name,
                OperationAction.START, null, input, null, null, null,
                OperationOptions.invoke(workflow, version, timeout));
    }

    public static OperationUpdate inContext(OperationUpdate u, String parentId) {
        return new OperationUpdate(u.id(), parentId, u.type(), u.subType(), u.name(), u.action(), u.attempt(),
                u.payload(), u.error(), u.scheduledEndAt(), u.nextAttemptAt(), u.options(), u.startedAt());
    }
}
