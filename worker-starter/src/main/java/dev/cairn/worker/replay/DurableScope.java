package dev.cairn.worker.replay;

import dev.cairn.api.ChildContextFailedException;
import dev.cairn.api.ChildFunction;
import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableFuture;
import dev.cairn.api.ErrorInfo;
import dev.cairn.api.NonDeterministicExecutionException;
import dev.cairn.api.RetryStrategies;
import dev.cairn.api.StepConfig;
import dev.cairn.api.StepFunction;
import dev.cairn.api.TypeRef;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * A {@link DurableContext}: the top level of an execution, or a child context. Each operation takes the next id
 * of this context ({@code 1}, {@code 2}, … at the top; {@code 3-1}, {@code 3-2}, … inside context {@code 3}).
 */
final class DurableScope implements DurableContext {

    static final String STEP = "Step";
    static final String WAIT = "Wait";
    static final String CHILD_CONTEXT = "RunInChildContext";
    static final String NOW = "Now";
    static final String RANDOM_UUID = "RandomUUID";

    private final ReplaySession session;
    private final String contextId;
    private final AtomicInteger counter = new AtomicInteger();
    private final AtomicInteger replayed = new AtomicInteger();
    private final int recordedChildren;
    private final Logger logger;
    private volatile String lastOperationId;

    /** An operation id taken by the code, with what is recorded under it. */
    record Claim(String id, OperationRecord recorded, OperationUpdates updates) {
    }

    DurableScope(ReplaySession session, String contextId) {
        this.session = session;
        this.contextId = contextId;
        this.recordedChildren = session.log().recordedChildren(contextId);
        this.lastOperationId = contextId;
        this.logger = new ReplayAwareLogger(session.workflowLogger(), this::isReplaying,
                () -> new ReplayAwareLogger.LogScope(session.executionId(), lastOperationId, null));
    }

    @Override
    public String executionId() {
        return session.executionId();
    }

    @Override
    public Logger logger() {
        return logger;
    }

    /** Whether operations recorded in this context lie ahead: the code is re-running what already ran. */
    boolean isReplaying() {
        return replayed.get() < recordedChildren;
    }

    /** Takes the next operation id and checks the code asks for what is recorded under it. */
    Claim claim(OperationType type, String subType, String name) {
        session.branches().throwIfEnded();
        String id = contextId == null ? Integer.toString(counter.incrementAndGet())
                : contextId + "-" + counter.incrementAndGet();
        lastOperationId = id;
        OperationRecord recorded;
        try {
            recorded = session.log().match(id, type, subType, name);
        } catch (NonDeterministicExecutionException e) {
            throw session.poison(e);
        }
        if (recorded != null) {
            replayed.incrementAndGet();
        }
        return new Claim(id, recorded, new OperationUpdates(id, contextId, type, subType, name));
    }

    @Override
    public <T> T step(String name, Class<T> type, StepFunction<T> fn, StepConfig config) {
        return prepareStep(STEP, name, type, fn, config).run();
    }

    @Override
    public <T> T step(String name, TypeRef<T> type, StepFunction<T> fn, StepConfig config) {
        return prepareStep(STEP, name, typeOf(type), fn, config).run();
    }

    @Override
    public <T> DurableFuture<T> stepAsync(String name, Class<T> type, StepFunction<T> fn, StepConfig config) {
        return async(prepareStep(STEP, name, type, fn, config));
    }

    @Override
    public <T> DurableFuture<T> stepAsync(String name, TypeRef<T> type, StepFunction<T> fn, StepConfig config) {
        return async(prepareStep(STEP, name, typeOf(type), fn, config));
    }

    @Override
    public void wait(String name, Duration duration) {
        requireName(name);
        Objects.requireNonNull(duration, "duration");
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("wait duration must be positive, was " + duration);
        }
        Claim claim = claim(OperationType.WAIT, WAIT, name);
        if (claim.recorded() != null) {
            awaitRecordedWait(claim.recorded());
            return;
        }
        session.sender().enqueue(claim.updates().startWait(session.clock().instant().plus(duration)));
        throw session.branches().blockUntilReinvoked();
    }

    @Override
    public void waitUntil(String name, Instant until) {
        requireName(name);
        Objects.requireNonNull(until, "until");
        Claim claim = claim(OperationType.WAIT, WAIT, name);
        if (claim.recorded() != null) {
            awaitRecordedWait(claim.recorded());
            return;
        }
        if (!until.isAfter(session.clock().instant())) {
            session.sender().enqueue(claim.updates().startWait(until), claim.updates().succeed(null, null));
            return;
        }
        session.sender().enqueue(claim.updates().startWait(until));
        throw session.branches().blockUntilReinvoked();
    }

    @Override
    public <T> T runInChildContext(String name, Class<T> type, ChildFunction<T> fn) {
        return child(name, type, fn);
    }

    @Override
    public <T> T runInChildContext(String name, TypeRef<T> type, ChildFunction<T> fn) {
        return child(name, typeOf(type), fn);
    }

    @Override
    public Instant now() {
        return prepareStep(NOW, "now", Instant.class, ctx -> session.clock().instant(), internalStep()).run();
    }

    @Override
    public UUID randomUUID() {
        return prepareStep(RANDOM_UUID, "randomUUID", UUID.class, ctx -> UUID.randomUUID(), internalStep()).run();
    }

    private StepConfig internalStep() {
        return StepConfig.defaults().withRetry(RetryStrategies.noRetry()).withSerdes(session.internalJson());
    }

    private <T> StepOperation<T> prepareStep(String subType, String name, Type type, StepFunction<T> fn,
            StepConfig config) {
        requireName(name);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(config, "config");
        Claim claim = claim(OperationType.STEP, subType, name);
        return new StepOperation<>(session, claim, name, type, fn, config);
    }

    private <T> DurableFuture<T> async(StepOperation<T> step) {
        BranchFuture<T> future = new BranchFuture<>(session);
        if (step.isSettled()) {
            future.completeWith(step::run);
        } else {
            session.branches().spawn(() -> future.completeWith(step::run));
        }
        return future;
    }

    private void awaitRecordedWait(OperationRecord recorded) {
        if (recorded.status() != OperationStatus.SUCCEEDED && recorded.status() != OperationStatus.CANCELLED) {
            throw session.branches().blockUntilReinvoked();
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T child(String name, Type type, ChildFunction<T> fn) {
        requireName(name);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(fn, "fn");
        Claim claim = claim(OperationType.CONTEXT, CHILD_CONTEXT, name);
        OperationRecord recorded = claim.recorded();
        if (recorded != null && recorded.status() == OperationStatus.SUCCEEDED) {
            return (T) session.decode(null, recorded.result(), type, claim.id());
        }
        if (recorded != null && recorded.status().isClosed()) {
            ErrorInfo error = recorded.error() != null ? recorded.error()
                    : new ErrorInfo(ChildContextFailedException.class.getName(),
                            "ended " + recorded.status(), null);
            throw childFailed(name, claim.id(), error, null);
        }
        if (recorded == null) {
            session.sender().enqueue(claim.updates().start());
        }
        T value;
        try {
            value = fn.apply(new DurableScope(session, claim.id()));
        } catch (SuspendExecution | VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            session.branches().throwIfEnded();
            ErrorInfo error = session.errors().describe(e);
            session.sender().enqueue(claim.updates().fail(null, error));
            throw childFailed(name, claim.id(), error, e);
        }
        String payload = session.encode(null, value, type, claim.id());
        session.sender().enqueue(claim.updates().succeed(null, payload));
        return value;
    }

    private static ChildContextFailedException childFailed(String name, String id, ErrorInfo error,
            Throwable cause) {
        return new ChildContextFailedException("Child context '" + name + "' failed: " + error.message(), id,
                error, cause);
    }

    private static Type typeOf(TypeRef<?> type) {
        return Objects.requireNonNull(type, "type").type();
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an operation name must not be blank");
        }
    }
}
