package dev.cairn.worker.replay;

import dev.cairn.api.BatchResult;
import dev.cairn.api.Branch;
import dev.cairn.api.CallbackConfig;
import dev.cairn.api.CallbackSubmitter;
import dev.cairn.api.ChildFunction;
import dev.cairn.api.ConditionCheck;
import dev.cairn.api.DurableCallback;
import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableFuture;
import dev.cairn.api.InvokeConfig;
import dev.cairn.api.MapConfig;
import dev.cairn.api.MapFunction;
import dev.cairn.api.NonDeterministicExecutionException;
import dev.cairn.api.ParallelConfig;
import dev.cairn.api.RetryStrategies;
import dev.cairn.api.StepConfig;
import dev.cairn.api.StepFunction;
import dev.cairn.api.TypeRef;
import dev.cairn.api.WaitForConditionConfig;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationSubType;
import dev.cairn.protocol.OperationType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.slf4j.Logger;

/**
 * A {@link DurableContext}: the top level of an execution, or a child context. Each operation takes the next id
 * of this context ({@code 1}, {@code 2}, … at the top; {@code 3-1}, {@code 3-2}, … inside context {@code 3}) and
 * hands over to the class that runs that kind of operation.
 */
final class DurableScope implements DurableContext {

    /** What comes before the number in the id of a choice ({@code choice-1}, {@code 3-choice-1}). */
    static final String CHOICE_ID = "choice-";

    private final ReplaySession session;
    private final String contextId;
    private final AtomicInteger counter = new AtomicInteger();
    private final AtomicInteger choices = new AtomicInteger();
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

    ReplaySession session() {
        return session;
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

    /**
     * Takes the next operation id and checks the code asks for what is recorded under it.
     *
     * @throws SuspendExecution if the invocation ended, or this context was cancelled (an abandoned batch item)
     */
    Claim claim(OperationSubType subType, String name) {
        session.branches().throwIfEnded();
        String id = contextId == null ? Integer.toString(counter.incrementAndGet())
                : contextId + "-" + counter.incrementAndGet();
        return claim(id, subType.type(), subType.wireName(), name);
    }

    /**
     * Takes the next choice id of this context ({@code choice-1}, {@code choice-2}, … at the top;
     * {@code 3-choice-1}, … inside context {@code 3}) for a choice the engine records (see {@link Choice}), and
     * checks the code asks for what is recorded under it. Choices count apart from operations, so recording them
     * left the ids of operations as they were: logs recorded before choices were have the same ids.
     *
     * @throws SuspendExecution if the invocation ended, or this context was cancelled
     */
    Claim claimChoice(OperationSubType subType, String name) {
        session.branches().throwIfEnded();
        String choice = CHOICE_ID + choices.incrementAndGet();
        return claim(contextId == null ? choice : contextId + "-" + choice, subType.type(), subType.wireName(), name);
    }

    private Claim claim(String id, OperationType type, String subType, String name) {
        if (session.isCancelled(id)) {
            throw SuspendExecution.abandoned(id);
        }
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
        return prepareStep(OperationSubType.STEP, name, type, fn, config).run();
    }

    @Override
    public <T> T step(String name, TypeRef<T> type, StepFunction<T> fn, StepConfig config) {
        return prepareStep(OperationSubType.STEP, name, typeOf(type), fn, config).run();
    }

    @Override
    public <T> DurableFuture<T> stepAsync(String name, Class<T> type, StepFunction<T> fn, StepConfig config) {
        return async(prepareStep(OperationSubType.STEP, name, type, fn, config));
    }

    @Override
    public <T> DurableFuture<T> stepAsync(String name, TypeRef<T> type, StepFunction<T> fn, StepConfig config) {
        return async(prepareStep(OperationSubType.STEP, name, typeOf(type), fn, config));
    }

    @Override
    public void wait(String name, Duration duration) {
        requireName(name);
        Objects.requireNonNull(duration, "duration");
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("wait duration must be positive, was " + duration);
        }
        Claim claim = claim(OperationSubType.WAIT, name);
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
        Claim claim = claim(OperationSubType.WAIT, name);
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
    public <T> DurableCallback<T> createCallback(String name, Class<T> type, CallbackConfig config) {
        return callback(name, type, config);
    }

    @Override
    public <T> DurableCallback<T> createCallback(String name, TypeRef<T> type, CallbackConfig config) {
        return callback(name, typeOf(type), config);
    }

    @Override
    public <T> T waitForCallback(String name, Class<T> type, CallbackSubmitter submitter, CallbackConfig config) {
        return this.<T>callbackWait(name, type, submitter, config).run();
    }

    @Override
    public <T> T waitForCallback(String name, TypeRef<T> type, CallbackSubmitter submitter, CallbackConfig config) {
        return this.<T>callbackWait(name, typeOf(type), submitter, config).run();
    }

    @Override
    public <S> S waitForCondition(String name, Class<S> stateType, ConditionCheck<S> check,
            WaitForConditionConfig<S> config) {
        return condition(name, stateType, check, config).run();
    }

    @Override
    public <S> S waitForCondition(String name, TypeRef<S> stateType, ConditionCheck<S> check,
            WaitForConditionConfig<S> config) {
        return condition(name, typeOf(stateType), check, config).run();
    }

    @Override
    public <T> BatchResult<T> parallel(String name, Class<T> type, List<Branch<T>> branches, ParallelConfig config) {
        return parallelOf(name, type, branches, config).run();
    }

    @Override
    public <T> BatchResult<T> parallel(String name, TypeRef<T> type, List<Branch<T>> branches,
            ParallelConfig config) {
        return parallelOf(name, typeOf(type), branches, config).run();
    }

    @Override
    public <I, O> BatchResult<O> map(String name, List<I> items, Class<O> type, MapFunction<I, O> fn,
            MapConfig<? super I> config) {
        return mapOf(name, items, type, fn, config).run();
    }

    @Override
    public <I, O> BatchResult<O> map(String name, List<I> items, TypeRef<O> type, MapFunction<I, O> fn,
            MapConfig<? super I> config) {
        return mapOf(name, items, typeOf(type), fn, config).run();
    }

    @Override
    public <T> T invoke(String name, String workflow, Object input, Class<T> type, InvokeConfig config) {
        return this.<T>invokeOf(name, workflow, input, type, config).run();
    }

    @Override
    public <T> T invoke(String name, String workflow, Object input, TypeRef<T> type, InvokeConfig config) {
        return this.<T>invokeOf(name, workflow, input, typeOf(type), config).run();
    }

    @Override
    public <T> T runInChildContext(String name, Class<T> type, ChildFunction<T> fn) {
        return child(name, type, fn).run();
    }

    @Override
    public <T> T runInChildContext(String name, TypeRef<T> type, ChildFunction<T> fn) {
        return child(name, typeOf(type), fn).run();
    }

    @Override
    public Instant now() {
        return prepareStep(OperationSubType.NOW, "now", Instant.class, ctx -> session.clock().instant(),
                internalStep()).run();
    }

    @Override
    public UUID randomUUID() {
        return prepareStep(OperationSubType.RANDOM_UUID, "randomUUID", UUID.class, ctx -> UUID.randomUUID(),
                internalStep()).run();
    }

    private StepConfig internalStep() {
        return StepConfig.defaults().withRetry(RetryStrategies.noRetry()).withSerdes(session.internalJson());
    }

    private <T> StepOperation<T> prepareStep(OperationSubType subType, String name, Type type, StepFunction<T> fn,
            StepConfig config) {
        requireName(name);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(config, "config");
        return new StepOperation<>(session, claim(subType, name), name, type, fn, config);
    }

    private <T> DurableFuture<T> async(StepOperation<T> step) {
        BranchFuture<T> future = new BranchFuture<>(session);
        if (step.isSettled()) {
            future.completeRecorded(step::run, session.recordedCompletion(step.recorded()));
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

    private <T> CallbackFuture<T> callback(String name, Type type, CallbackConfig config) {
        requireName(name);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(config, "config");
        return CallbackOperation.create(session, claim(OperationSubType.CALLBACK, name), name, type, config);
    }

    private <T> WaitForCallbackOperation<T> callbackWait(String name, Type type, CallbackSubmitter submitter,
            CallbackConfig config) {
        requireName(name);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(submitter, "submitter");
        Objects.requireNonNull(config, "config");
        return new WaitForCallbackOperation<>(session, claim(OperationSubType.WAIT_FOR_CALLBACK, name), name,
                type, submitter, config);
    }

    private <S> ConditionOperation<S> condition(String name, Type type, ConditionCheck<S> check,
            WaitForConditionConfig<S> config) {
        requireName(name);
        Objects.requireNonNull(type, "stateType");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(config, "config (WaitForConditionConfig.of(initialState, strategy))");
        return new ConditionOperation<>(session, claim(OperationSubType.WAIT_FOR_CONDITION, name), name, type,
                check, config);
    }

    private <T> BatchOperation<T> parallelOf(String name, Type type, List<Branch<T>> branches,
            ParallelConfig config) {
        requireName(name);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(branches, "branches");
        Objects.requireNonNull(config, "config");
        List<BatchOperation.Unit<T>> units = new ArrayList<>(branches.size());
        for (Branch<T> branch : branches) {
            Objects.requireNonNull(branch, "branch");
            units.add(new BatchOperation.Unit<>(branch.name(), branch.fn()));
        }
        return new BatchOperation<>(session, claim(OperationSubType.PARALLEL, name), name,
                OperationSubType.PARALLEL_BRANCH, type, units, config.maxConcurrency(), config.completion());
    }

    private <I, O> BatchOperation<O> mapOf(String name, List<I> items, Type type, MapFunction<I, O> fn,
            MapConfig<? super I> config) {
        requireName(name);
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(config, "config");
        BiFunction<? super I, Integer, String> namer = config.itemNamer();
        List<BatchOperation.Unit<O>> units = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            I item = items.get(i);
            int index = i;
            String itemName = namer == null ? name + "-" + i : namer.apply(item, i);
            if (itemName == null || itemName.isBlank()) {
                throw new IllegalArgumentException("the item namer of map '" + name + "' gave item " + i
                        + " a blank name");
            }
            units.add(new BatchOperation.Unit<>(itemName, ctx -> fn.apply(ctx, item, index)));
        }
        return new BatchOperation<>(session, claim(OperationSubType.MAP, name), name,
                OperationSubType.MAP_ITERATION, type, units, config.maxConcurrency(), config.completion());
    }

    private <T> InvokeOperation<T> invokeOf(String name, String workflow, Object input, Type type,
            InvokeConfig config) {
        requireName(name);
        if (workflow == null || workflow.isBlank()) {
            throw new IllegalArgumentException("the invoked workflow's name must not be blank");
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(config, "config");
        return new InvokeOperation<>(session, claim(OperationSubType.CHAINED_INVOKE, name), name,
                workflow, input, type, config);
    }

    private <T> ChildContextOperation<T> child(String name, Type type, ChildFunction<T> fn) {
        requireName(name);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(fn, "fn");
        return new ChildContextOperation<>(session, claim(OperationSubType.RUN_IN_CHILD_CONTEXT, name), name, type,
                fn);
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
