package dev.cairn.testing;

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
import dev.cairn.api.ParallelConfig;
import dev.cairn.api.StepConfig;
import dev.cairn.api.StepFunction;
import dev.cairn.api.TypeRef;
import dev.cairn.api.WaitForConditionConfig;
import dev.cairn.protocol.OperationSubType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * A {@link DurableContext} that tells a {@link ReplayObserver} which operation the code asks for (taking ids as
 * the engine does: per-context counters) before handing over to the engine's context, and that never lets a body
 * run: replay only re-reads the recording.
 */
final class ObservedContext implements DurableContext {

    private final DurableContext delegate;
    private final String contextId;
    private final ReplayObserver observer;
    private final AtomicInteger counter = new AtomicInteger();

    ObservedContext(DurableContext delegate, String contextId, ReplayObserver observer) {
        this.delegate = delegate;
        this.contextId = contextId;
        this.observer = observer;
    }

    /** Runs a context function with an observed context and reports how far it got when it ends. */
    static <T> T runObserved(DurableContext ctx, String id, ReplayObserver observer, ChildFunction<T> fn)
            throws Exception {
        ObservedContext child = new ObservedContext(ctx, id, observer);
        try {
            T result = fn.apply(child);
            observer.finished(id, child.counter.get());
            return result;
        } catch (Exception e) {
            observer.finished(id, child.counter.get());
            throw e;
        }
    }

    private String claim(OperationSubType subType, String name) {
        int n = counter.incrementAndGet();
        String id = contextId == null ? Integer.toString(n) : contextId + "-" + n;
        observer.claim(id, subType.type(), subType.wireName(), name);
        return id;
    }

    private <T> StepFunction<T> guarded(String id) {
        return ctx -> {
            throw observer.bodyReached(id);
        };
    }

    @Override
    public String executionId() {
        return delegate.executionId();
    }

    @Override
    public Logger logger() {
        return delegate.logger();
    }

    @Override
    public <T> T step(String name, Class<T> type, StepFunction<T> fn, StepConfig config) {
        return delegate.step(name, type, guarded(claim(OperationSubType.STEP, name)), config);
    }

    @Override
    public <T> T step(String name, TypeRef<T> type, StepFunction<T> fn, StepConfig config) {
        return delegate.step(name, type, guarded(claim(OperationSubType.STEP, name)), config);
    }

    @Override
    public <T> DurableFuture<T> stepAsync(String name, Class<T> type, StepFunction<T> fn, StepConfig config) {
        return delegate.stepAsync(name, type, guarded(claim(OperationSubType.STEP, name)), config);
    }

    @Override
    public <T> DurableFuture<T> stepAsync(String name, TypeRef<T> type, StepFunction<T> fn, StepConfig config) {
        return delegate.stepAsync(name, type, guarded(claim(OperationSubType.STEP, name)), config);
    }

    @Override
    public void wait(String name, Duration duration) {
        claim(OperationSubType.WAIT, name);
        delegate.wait(name, duration);
    }

    @Override
    public void waitUntil(String name, Instant until) {
        claim(OperationSubType.WAIT, name);
        delegate.waitUntil(name, until);
    }

    @Override
    public <T> DurableCallback<T> createCallback(String name, Class<T> type, CallbackConfig config) {
        claim(OperationSubType.CALLBACK, name);
        return delegate.createCallback(name, type, config);
    }

    @Override
    public <T> DurableCallback<T> createCallback(String name, TypeRef<T> type, CallbackConfig config) {
        claim(OperationSubType.CALLBACK, name);
        return delegate.createCallback(name, type, config);
    }

    @Override
    public <T> T waitForCallback(String name, Class<T> type, CallbackSubmitter submitter, CallbackConfig config) {
        String id = claim(OperationSubType.WAIT_FOR_CALLBACK, name);
        return delegate.waitForCallback(name, type, guardedSubmitter(id), config);
    }

    @Override
    public <T> T waitForCallback(String name, TypeRef<T> type, CallbackSubmitter submitter, CallbackConfig config) {
        String id = claim(OperationSubType.WAIT_FOR_CALLBACK, name);
        return delegate.waitForCallback(name, type, guardedSubmitter(id), config);
    }

    private CallbackSubmitter guardedSubmitter(String id) {
        return (callbackId, ctx) -> {
            throw observer.bodyReached(id + "-2");
        };
    }

    @Override
    public <S> S waitForCondition(String name, Class<S> stateType, ConditionCheck<S> check,
            WaitForConditionConfig<S> config) {
        String id = claim(OperationSubType.WAIT_FOR_CONDITION, name);
        return delegate.waitForCondition(name, stateType, guardedCheck(id), config);
    }

    @Override
    public <S> S waitForCondition(String name, TypeRef<S> stateType, ConditionCheck<S> check,
            WaitForConditionConfig<S> config) {
        String id = claim(OperationSubType.WAIT_FOR_CONDITION, name);
        return delegate.waitForCondition(name, stateType, guardedCheck(id), config);
    }

    private <S> ConditionCheck<S> guardedCheck(String id) {
        return (state, ctx) -> {
            throw observer.bodyReached(id);
        };
    }

    @Override
    public <T> BatchResult<T> parallel(String name, Class<T> type, List<Branch<T>> branches, ParallelConfig config) {
        String id = claim(OperationSubType.PARALLEL, name);
        return delegate.parallel(name, type, observedBranches(id, branches), config);
    }

    @Override
    public <T> BatchResult<T> parallel(String name, TypeRef<T> type, List<Branch<T>> branches,
            ParallelConfig config) {
        String id = claim(OperationSubType.PARALLEL, name);
        return delegate.parallel(name, type, observedBranches(id, branches), config);
    }

    private <T> List<Branch<T>> observedBranches(String batchId, List<Branch<T>> branches) {
        List<Branch<T>> observed = new ArrayList<>(branches.size());
        for (int i = 0; i < branches.size(); i++) {
            Branch<T> branch = branches.get(i);
            String id = batchId + "-" + (i + 1);
            observed.add(branch == null ? null
                    : Branch.of(branch.name(), ctx -> runObserved(ctx, id, observer, branch.fn())));
        }
        return observed;
    }

    @Override
    public <I, O> BatchResult<O> map(String name, List<I> items, Class<O> type, MapFunction<I, O> fn,
            MapConfig<? super I> config) {
        String id = claim(OperationSubType.MAP, name);
        return delegate.map(name, items, type, observedItem(id, fn), config);
    }

    @Override
    public <I, O> BatchResult<O> map(String name, List<I> items, TypeRef<O> type, MapFunction<I, O> fn,
            MapConfig<? super I> config) {
        String id = claim(OperationSubType.MAP, name);
        return delegate.map(name, items, type, observedItem(id, fn), config);
    }

    private <I, O> MapFunction<I, O> observedItem(String batchId, MapFunction<I, O> fn) {
        return (ctx, item, index) -> runObserved(ctx, batchId + "-" + (index + 1), observer,
                c -> fn.apply(c, item, index));
    }

    @Override
    public <T> T invoke(String name, String workflow, Object input, Class<T> type, InvokeConfig config) {
        claim(OperationSubType.CHAINED_INVOKE, name);
        return delegate.invoke(name, workflow, input, type, config);
    }

    @Override
    public <T> T invoke(String name, String workflow, Object input, TypeRef<T> type, InvokeConfig config) {
        claim(OperationSubType.CHAINED_INVOKE, name);
        return delegate.invoke(name, workflow, input, type, config);
    }

    @Override
    public <T> T runInChildContext(String name, Class<T> type, ChildFunction<T> fn) {
        String id = claim(OperationSubType.RUN_IN_CHILD_CONTEXT, name);
        return delegate.runInChildContext(name, type, ctx -> runObserved(ctx, id, observer, fn));
    }

    @Override
    public <T> T runInChildContext(String name, TypeRef<T> type, ChildFunction<T> fn) {
        String id = claim(OperationSubType.RUN_IN_CHILD_CONTEXT, name);
        return delegate.runInChildContext(name, type, ctx -> runObserved(ctx, id, observer, fn));
    }

    @Override
    public Instant now() {
        claim(OperationSubType.NOW, "now");
        return delegate.now();
    }

    @Override
    public UUID randomUUID() {
        claim(OperationSubType.RANDOM_UUID, "randomUUID");
        return delegate.randomUUID();
    }
}
