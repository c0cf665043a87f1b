package dev.cairn.worker.replay;

import dev.cairn.api.ConditionCheck;
import dev.cairn.api.ErrorInfo;
import dev.cairn.api.PayloadTooLargeException;
import dev.cairn.api.WaitDecision;
import dev.cairn.api.WaitForConditionConfig;
import dev.cairn.api.WaitForConditionFailedException;
import dev.cairn.protocol.OperationRecord;
import java.lang.reflect.Type;

/**
 * {@code waitForCondition}: ONE STEP operation (subType {@code WaitForCondition}) whose result is the latest state.
 * Each poll runs the check and asks the strategy: go on → CONTINUE (new state, attempt, next poll time) and the
 * branch blocks until re-invoked; stop → SUCCEED with the final state; a throwing check or strategy → FAIL.
 *
 * <p>On replay: PENDING → blocks; READY → the next poll, from the recorded state; SUCCEEDED → the recorded state;
 * FAILED → {@link WaitForConditionFailedException} with the recorded error.
 */
final class ConditionOperation<S> {

    private final ReplaySession session;
    private final DurableScope.Claim claim;
    private final String name;
    private final Type type;
    private final ConditionCheck<S> check;
    private final WaitForConditionConfig<S> config;

    ConditionOperation(ReplaySession session, DurableScope.Claim claim, String name, Type type,
            ConditionCheck<S> check, WaitForConditionConfig<S> config) {
        this.session = session;
        this.claim = claim;
        this.name = name;
        this.type = type;
        this.check = check;
        this.config = config;
    }

    S run() {
        OperationRecord recorded = claim.recorded();
        if (recorded == null) {
            return poll(1, config.initialState());
        }
        int attempt = recorded.attempt() == null ? 1 : recorded.attempt();
        return switch (recorded.status()) {
            case SUCCEEDED -> decode(recorded.result());
            case PENDING -> throw session.branches().blockUntilReinvoked();
            case READY -> poll(attempt + 1, decode(recorded.result()));
            case STARTED -> poll(attempt, recorded.result() != null ? decode(recorded.result()) : config.initialState());
            case FAILED, CANCELLED, TIMED_OUT, STOPPED -> throw recordedFailure(recorded, attempt);
        };
    }

    private S poll(int attempt, S state) {
        S next;
        try {
            StepScope scope = new StepScope(session, claim.id(), attempt);
            next = ActiveScope.runOutside(() -> check.check(state, scope));
        } catch (SuspendExecution | VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            return fail(attempt, e);
        }
        String payload;
        try {
            payload = session.encodeWithinLimit(null, next, type, claim.id(),
                    "the state of condition '" + name + "'");
        } catch (PayloadTooLargeException e) {
            session.branches().throwIfEnded();
            session.sender().send(claim.updates().fail(attempt, e.errorInfo()));
            throw e;
        }
        WaitDecision decision;
        try {
            decision = config.strategy().decide(next, attempt);
            if (decision == null) {
                throw new IllegalStateException("the wait strategy of condition '" + name + "' returned null");
            }
        } catch (RuntimeException e) {
            return fail(attempt, e);
        }
        if (!decision.shouldContinue()) {
            session.sender().send(claim.updates().succeed(attempt, payload));
            return next;
        }
        session.sender().enqueue(claim.updates().continueWith(attempt, payload,
                session.clock().instant().plus(decision.delay())));
        throw session.branches().blockUntilReinvoked();
    }

    private S fail(int attempt, Throwable error) {
        session.branches().throwIfEnded();
        ErrorInfo info = ErrorInfo.of(error);
        session.sender().send(claim.updates().fail(attempt, info));
        throw failed(info, attempt, error);
    }

    private RuntimeException recordedFailure(OperationRecord recorded, int attempt) {
        ErrorInfo error = recorded.error() != null ? recorded.error()
                : new ErrorInfo(WaitForConditionFailedException.class.getName(),
                        "Condition '" + name + "' ended " + recorded.status(), null);
        if (RecordedErrors.isPayloadTooLarge(error)) {
            return new PayloadTooLargeException(error.message(), claim.id(), error);
        }
        return failed(error, attempt, null);
    }

    private WaitForConditionFailedException failed(ErrorInfo error, int attempt, Throwable cause) {
        String message = "Condition '" + name + "' failed at attempt " + attempt + ": " + error.message();
        return new WaitForConditionFailedException(message, claim.id(), error, cause);
    }

    @SuppressWarnings("unchecked")
    private S decode(String state) {
        return (S) session.decode(null, state, type, claim.id());
    }
}
