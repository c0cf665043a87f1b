package dev.cairn.worker.replay;

import dev.cairn.api.ErrorInfo;
import dev.cairn.api.InvokeConfig;
import dev.cairn.api.InvokeFailedException;
import dev.cairn.api.InvokeStoppedException;
import dev.cairn.api.InvokeTimedOutException;
import dev.cairn.protocol.OperationOptions;
import dev.cairn.protocol.OperationRecord;
import java.lang.reflect.Type;

/**
 * {@code invoke}: a CHAINED_INVOKE operation (subType {@code ChainedInvoke}). The first run records START with the
 * child's input and {@link OperationOptions#invoke}; the orchestrator starts the child execution and, when it
 * closes, records its outcome here and re-invokes the parent. Until then the branch blocks.
 */
final class InvokeOperation<T> {

    private final ReplaySession session;
    private final DurableScope.Claim claim;
    private final String name;
    private final String workflow;
    private final Object input;
    private final Type type;
    private final InvokeConfig config;

    InvokeOperation(ReplaySession session, DurableScope.Claim claim, String name, String workflow, Object input,
            Type type, InvokeConfig config) {
        this.session = session;
        this.claim = claim;
        this.name = name;
        this.workflow = workflow;
        this.input = input;
        this.type = type;
        this.config = config;
    }

    T run() {
        OperationRecord recorded = claim.recorded();
        if (recorded == null) {
            String payload = session.encodeWithinLimit(null, input, Object.class, claim.id(),
                    "the input of invoke '" + name + "'");
            session.sender().enqueue(claim.updates().startInvoke(payload,
                    OperationOptions.invoke(workflow, config.version(), config.timeout())));
            throw session.branches().blockUntilReinvoked();
        }
        return switch (recorded.status()) {
            case SUCCEEDED -> decode(recorded.result());
            case STARTED, PENDING, READY -> throw session.branches().blockUntilReinvoked();
            case FAILED -> throw new InvokeFailedException(describe("failed", recorded), claim.id(),
                    error(recorded, InvokeFailedException.class, "failed"));
            case TIMED_OUT -> throw new InvokeTimedOutException(describe("timed out", recorded), claim.id(),
                    error(recorded, InvokeTimedOutException.class, "timed out"));
            case STOPPED, CANCELLED -> throw new InvokeStoppedException(describe("was stopped", recorded), claim.id(),
                    error(recorded, InvokeStoppedException.class, "was stopped"));
        };
    }

    private String describe(String what, OperationRecord recorded) {
        String child = recorded.childExecutionId() != null ? " (execution " + recorded.childExecutionId() + ")" : "";
        String cause = recorded.error() != null ? ": " + recorded.error().message() : "";
        return "Invoked workflow '" + workflow + "'" + child + " of '" + name + "' " + what + cause;
    }

    private ErrorInfo error(OperationRecord recorded, Class<?> fallbackType, String what) {
        if (recorded.error() != null) {
            return recorded.error();
        }
        return new ErrorInfo(fallbackType.getName(), "Invoked workflow '" + workflow + "' " + what, null);
    }

    @SuppressWarnings("unchecked")
    private T decode(String result) {
        return (T) session.decode(null, result, type, claim.id());
    }
}
