package dev.cairn.worker.replay;

import dev.cairn.api.ErrorInfo;
import dev.cairn.api.PayloadTooLargeException;
import dev.cairn.api.RetryDecision;
import dev.cairn.api.StepConfig;
import dev.cairn.api.StepFailedException;
import dev.cairn.api.StepFunction;
import dev.cairn.api.StepInterruptedException;
import dev.cairn.api.StepSemantics;
import dev.cairn.api.StepTimeoutException;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationUpdate;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One step, from its claimed id to its result: replays the recorded outcome, or runs attempts and checkpoints
 * them (see the replay rules in the worker-protocol README).
 */
final class StepOperation<T> {

    private final ReplaySession session;
    private final DurableScope.Claim claim;
    private final String name;
    private final Type type;
    private final StepFunction<T> body;
    private final StepConfig config;

    StepOperation(ReplaySession session, DurableScope.Claim claim, String name, Type type, StepFunction<T> body,
            StepConfig config) {
        this.session = session;
        this.claim = claim;
        this.name = name;
        this.type = type;
        this.body = body;
        this.config = config;
    }

    /** Whether the outcome is recorded, so that {@link #run()} returns or throws without running anything. */
    boolean isSettled() {
        OperationRecord recorded = claim.recorded();
        return recorded != null && recorded.status().isClosed();
    }

    /** Returns the step's result, or throws its failure; blocks the branch while a retry is not due. */
    T run() {
        OperationRecord recorded = claim.recorded();
        if (recorded == null) {
            return attempt(1);
        }
        int attempt = recorded.attempt() == null ? 1 : recorded.attempt();
        return switch (recorded.status()) {
            case SUCCEEDED -> decode(recorded.result());
            case PENDING -> throw session.branches().blockUntilReinvoked();
            case READY -> attempt(attempt + 1);
            case STARTED -> config.semantics() == StepSemantics.AT_MOST_ONCE_PER_RETRY
                    ? interrupted(attempt)
                    : attempt(attempt);
            case FAILED, CANCELLED, TIMED_OUT, STOPPED -> throw recordedFailure(recordedError(recorded), attempt);
        };
    }

    private T attempt(int attempt) {
        boolean atMostOnce = config.semantics() == StepSemantics.AT_MOST_ONCE_PER_RETRY;
        if (atMostOnce) {
            session.sender().send(claim.updates().startAttempt(attempt));
        }
        T value;
        Instant began = session.clock().instant();
        long started = System.nanoTime();
        try {
            value = invokeBody(attempt);
        } catch (SuspendExecution | VirtualMachineError e) {
            throw e;
        } catch (Throwable error) {
            return afterFailure(error, attempt, atMostOnce ? null : began, since(started));
        }
        Duration took = since(started);
        String payload;
        try {
            payload = session.encodeWithinLimit(config.serdes(), value, type, claim.id(),
                    "the result of step '" + name + "'");
        } catch (PayloadTooLargeException e) {
            return tooLarge(e, attempt, atMostOnce ? null : began, took);
        }
        session.stepFinished(claim.id(), StepOutcome.SUCCEEDED, took);
        OperationUpdate succeed = claim.updates().succeed(attempt, payload);
        if (atMostOnce) {
            session.sender().send(succeed);
        } else {
            session.sender().send(claim.updates().startAttempt(attempt), succeed.withStartedAt(began));
        }
        return value;
    }

    /**
     * A result over the payload limit fails the step at once, without asking the retry strategy.
     *
     * @param began when the body began, when its START is still to be sent; null when the START is recorded
     */
    private T tooLarge(PayloadTooLargeException error, int attempt, Instant began, Duration took) {
        session.branches().throwIfEnded();
        session.stepFinished(claim.id(), StepOutcome.FAILED, took);
        OperationUpdate fail = claim.updates().fail(attempt, error.errorInfo());
        if (began == null) {
            session.sender().send(fail);
        } else {
            session.sender().send(claim.updates().startAttempt(attempt), fail.withStartedAt(began));
        }
        throw error;
    }

    private RuntimeException recordedFailure(ErrorInfo error, int attempt) {
        if (RecordedErrors.isPayloadTooLarge(error)) {
            return new PayloadTooLargeException(error.message(), claim.id(), error);
        }
        return failed(error, attempt, null);
    }

    /** The step's record, or null when it never ran. */
    OperationRecord recorded() {
        return claim.recorded();
    }

    private T interrupted(int attempt) {
        String message = "Step '" + name + "' attempt " + attempt + " was interrupted before its outcome was recorded";
        return afterFailure(new StepInterruptedException(message, claim.id(), null), attempt, null, null);
    }

    /**
     * Asks the retry strategy: records a retry and blocks, or records the failure and throws.
     *
     * @param began when the body began, when its START is still to be sent; null when the START is recorded
     * @param took how long the body ran; null when it did not run (an interrupted attempt found on replay)
     */
    private T afterFailure(Throwable error, int attempt, Instant began, Duration took) {
        session.branches().throwIfEnded();
        RetryDecision decision = config.retry().decide(error, attempt);
        ErrorInfo info = ErrorInfo.of(error);
        if (took != null) {
            session.stepFinished(claim.id(), decision.shouldRetry() ? StepOutcome.RETRY : StepOutcome.FAILED, took);
        }
        if (decision.shouldRetry()) {
            OperationUpdate retry = claim.updates().retry(attempt, info,
                    session.clock().instant().plus(decision.delay()));
            if (began == null) {
                session.sender().enqueue(retry);
            } else {
                session.sender().enqueue(claim.updates().startAttempt(attempt), retry.withStartedAt(began));
            }
            throw session.branches().blockUntilReinvoked();
        }
        OperationUpdate fail = claim.updates().fail(attempt, info);
        if (began == null) {
            session.sender().send(fail);
        } else {
            session.sender().send(claim.updates().startAttempt(attempt), fail.withStartedAt(began));
        }
        throw failed(info, attempt, error);
    }

    private T invokeBody(int attempt) throws Throwable {
        StepScope scope = new StepScope(session, claim.id(), attempt);
        Duration timeout = config.timeout();
        if (timeout == null) {
            return ActiveScope.runOutside(() -> body.apply(scope));
        }
        FutureTask<T> task = new FutureTask<>(() -> body.apply(scope));
        session.executor().execute(task);
        try {
            return task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            String message = "Step '" + name + "' attempt " + attempt + " timed out after " + timeout;
            throw new StepTimeoutException(message, claim.id(), null);
        } catch (ExecutionException e) {
            throw e.getCause();
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private StepFailedException failed(ErrorInfo error, int attempt, Throwable cause) {
        String message = "Step '" + name + "' failed after attempt " + attempt + ": " + error.message();
        return new StepFailedException(message, claim.id(), error, cause);
    }

    private ErrorInfo recordedError(OperationRecord recorded) {
        if (recorded.error() != null) {
            return recorded.error();
        }
        return new ErrorInfo(StepFailedException.class.getName(),
                "Step '" + name + "' ended " + recorded.status(), null);
    }

    @SuppressWarnings("unchecked")
    private T decode(String result) {
        return (T) session.decode(config.serdes(), result, type, claim.id());
    }
}
