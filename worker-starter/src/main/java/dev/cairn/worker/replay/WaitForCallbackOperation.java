package dev.cairn.worker.replay;

import dev.cairn.api.CallbackConfig;
import dev.cairn.api.CallbackFailedException;
import dev.cairn.api.CallbackSubmitter;
import dev.cairn.api.ChildContextFailedException;
import dev.cairn.api.ErrorInfo;
import dev.cairn.api.StepConfig;
import dev.cairn.api.StepFailedException;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationSubType;
import java.lang.reflect.Type;

/**
 * {@code waitForCallback}: a CONTEXT (subType {@code WaitForCallback}) named as the call, holding the CALLBACK
 * {@code <name>-callback} ({@code <ctx>-1}) and the submitter STEP {@code <name>-submitter} ({@code <ctx>-2}). The
 * context SUCCEEDs with the callback's result, or FAILs with the error that ended it, so that a replay after it
 * closed returns (or rethrows) without touching its children.
 */
final class WaitForCallbackOperation<T> {

    private final ReplaySession session;
    private final DurableScope.Claim claim;
    private final String name;
    private final Type type;
    private final CallbackSubmitter submitter;
    private final CallbackConfig config;

    WaitForCallbackOperation(ReplaySession session, DurableScope.Claim claim, String name, Type type,
            CallbackSubmitter submitter, CallbackConfig config) {
        this.session = session;
        this.claim = claim;
        this.name = name;
        this.type = type;
        this.submitter = submitter;
        this.config = config;
    }

    @SuppressWarnings("unchecked")
    T run() {
        OperationRecord recorded = claim.recorded();
        if (recorded != null && recorded.status() == OperationStatus.SUCCEEDED) {
            return (T) session.decode(null, recorded.result(), type, claim.id());
        }
        if (recorded != null && recorded.status().isClosed()) {
            throw recordedFailure(recorded);
        }
        if (recorded == null) {
            session.sender().enqueue(claim.updates().start());
        }
        DurableScope scope = new DurableScope(session, claim.id());
        T value;
        String payload;
        try {
            CallbackFuture<T> callback = CallbackOperation.create(session,
                    scope.claim(OperationSubType.CALLBACK, name + "-callback"),
                    name + "-callback", type, config);
            StepConfig submitterStep = StepConfig.defaults().withRetry(config.submitterRetry())
                    .withSerdes(session.internalJson());
            new StepOperation<Void>(session, scope.claim(OperationSubType.STEP, name + "-submitter"),
                    name + "-submitter", Void.class, step -> {
                        submitter.submit(callback.callbackId(), step);
                        return null;
                    }, submitterStep).run();
            value = callback.get();
            payload = session.encodeWithinLimit(null, value, type, claim.id(),
                    "the result of callback wait '" + name + "'");
        } catch (SuspendExecution | VirtualMachineError e) {
            throw e;
        } catch (RuntimeException e) {
            session.branches().throwIfEnded();
            session.sender().enqueue(claim.updates().fail(null, session.errors().describe(e)));
            throw e;
        }
        session.sender().enqueue(claim.updates().succeed(null, payload));
        return value;
    }

    private RuntimeException recordedFailure(OperationRecord recorded) {
        ErrorInfo error = recorded.error() != null ? recorded.error()
                : new ErrorInfo(CallbackFailedException.class.getName(),
                        "Callback wait '" + name + "' ended " + recorded.status(), null);
        String childId = StepFailedException.class.getName().equals(error.type())
                ? claim.id() + "-2"
                : claim.id() + "-1";
        return session.recordedErrors().rebuild(error, childId, (message, id, info) ->
                new ChildContextFailedException(message, claim.id(), info));
    }
}
