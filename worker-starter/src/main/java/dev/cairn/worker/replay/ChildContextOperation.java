package dev.cairn.worker.replay;

import dev.cairn.api.ChildContextFailedException;
import dev.cairn.api.ChildFunction;
import dev.cairn.api.ErrorInfo;
import dev.cairn.api.PayloadTooLargeException;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import java.lang.reflect.Type;

/**
 * {@code runInChildContext}: a CONTEXT whose operations take ids under its own. Once it completed, replay returns
 * its result (or rethrows its failure) without running its children.
 */
final class ChildContextOperation<T> {

    private final ReplaySession session;
    private final DurableScope.Claim claim;
    private final String name;
    private final Type type;
    private final ChildFunction<T> fn;

    ChildContextOperation(ReplaySession session, DurableScope.Claim claim, String name, Type type,
            ChildFunction<T> fn) {
        this.session = session;
        this.claim = claim;
        this.name = name;
        this.type = type;
        this.fn = fn;
    }

    @SuppressWarnings("unchecked")
    T run() {
        OperationRecord recorded = claim.recorded();
        if (recorded != null && recorded.status() == OperationStatus.SUCCEEDED) {
            return (T) session.decode(null, recorded.result(), type, claim.id());
        }
        if (recorded != null && recorded.status().isClosed()) {
            ErrorInfo error = recorded.error() != null ? recorded.error()
                    : new ErrorInfo(ChildContextFailedException.class.getName(), "ended " + recorded.status(), null);
            if (RecordedErrors.isPayloadTooLarge(error)) {
                throw new PayloadTooLargeException(error.message(), claim.id(), error);
            }
            throw failed(error, null);
        }
        if (recorded == null) {
            session.sender().enqueue(claim.updates().start());
        }
        T value;
        try {
            DurableScope scope = new DurableScope(session, claim.id());
            value = ActiveScope.runIn(scope, () -> fn.apply(scope));
        } catch (SuspendExecution | VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            session.branches().throwIfEnded();
            ErrorInfo error = session.errors().describe(e);
            session.sender().enqueue(claim.updates().fail(null, error));
            throw failed(error, e);
        }
        String payload;
        try {
            payload = session.encodeWithinLimit(null, value, type, claim.id(), "the result of context '" + name + "'");
        } catch (PayloadTooLargeException e) {
            session.sender().enqueue(claim.updates().fail(null, e.errorInfo()));
            throw e;
        }
        session.sender().enqueue(claim.updates().succeed(null, payload));
        return value;
    }

    private ChildContextFailedException failed(ErrorInfo error, Throwable cause) {
        return new ChildContextFailedException("Child context '" + name + "' failed: " + error.message(), claim.id(),
                error, cause);
    }
}
