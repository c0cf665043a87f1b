package dev.cairn.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;

/**
 * The durable operations a workflow uses. Each call takes the next deterministic operation id of its context
 * (root operations {@code 1}, {@code 2}, …; inside context {@code 3} they are {@code 3-1}, {@code 3-2}, …).
 *
 * <p>Determinism rules: adding, removing or reordering an operation before existing ones changes the ids of
 * what follows, and running executions then fail replay with {@link NonDeterministicExecutionException}.
 * Version the workflow instead ({@code @DurableWorkflow(version = …)}). Every method that takes a name
 * requires a non-blank one; names need not be unique.
 */
public interface DurableContext {

    /** Id of this execution. */
    String executionId();

    /**
     * A replay-aware logger: silent while the code replays operations that were already recorded. Its MDC
     * carries {@code executionId}, {@code operationId} and {@code attempt}.
     */
    Logger logger();

    /** Runs {@code fn} and checkpoints its result; on replay returns the recorded result without running it. */
    <T> T step(String name, Class<T> type, StepFunction<T> fn, StepConfig config);

    default <T> T step(String name, Class<T> type, StepFunction<T> fn) {
        return step(name, type, fn, StepConfig.defaults());
    }

    <T> T step(String name, TypeRef<T> type, StepFunction<T> fn, StepConfig config);

    default <T> T step(String name, TypeRef<T> type, StepFunction<T> fn) {
        return step(name, type, fn, StepConfig.defaults());
    }

    /** Starts a step now, running concurrently with the caller; join it with {@link DurableFuture#get()}. */
    <T> DurableFuture<T> stepAsync(String name, Class<T> type, StepFunction<T> fn, StepConfig config);

    default <T> DurableFuture<T> stepAsync(String name, Class<T> type, StepFunction<T> fn) {
        return stepAsync(name, type, fn, StepConfig.defaults());
    }

    <T> DurableFuture<T> stepAsync(String name, TypeRef<T> type, StepFunction<T> fn, StepConfig config);

    default <T> DurableFuture<T> stepAsync(String name, TypeRef<T> type, StepFunction<T> fn) {
        return stepAsync(name, type, fn, StepConfig.defaults());
    }

    /**
     * A durable timer: the invocation suspends (no thread is held) and the execution resumes when it is due.
     *
     * @throws IllegalArgumentException if {@code duration} is zero or negative (nothing is recorded)
     */
    void wait(String name, Duration duration);

    /** A durable timer to an instant; one in the past completes at once (and is still recorded). */
    void waitUntil(String name, Instant until);

    /**
     * Makes a callback (a CALLBACK operation, subType {@code Callback}): its id is durable before this returns, so
     * it may be handed out at once. {@link DurableCallback#get()} blocks durably until the callback is completed.
     */
    <T> DurableCallback<T> createCallback(String name, Class<T> type, CallbackConfig config);

    default <T> DurableCallback<T> createCallback(String name, Class<T> type) {
        return createCallback(name, type, CallbackConfig.defaults());
    }

    <T> DurableCallback<T> createCallback(String name, TypeRef<T> type, CallbackConfig config);

    default <T> DurableCallback<T> createCallback(String name, TypeRef<T> type) {
        return createCallback(name, type, CallbackConfig.defaults());
    }

    /**
     * Makes a callback, hands its id to {@code submitter} (a step, retried by {@link CallbackConfig#submitterRetry()})
     * and waits durably for its result. Recorded as a CONTEXT (subType {@code WaitForCallback}) named {@code name}
     * holding the CALLBACK {@code <name>-callback} and the STEP {@code <name>-submitter}.
     *
     * @throws CallbackFailedException if the callback was completed with a failure
     * @throws CallbackTimeoutException if it timed out
     * @throws StepFailedException if the submitter failed for good
     */
    <T> T waitForCallback(String name, Class<T> type, CallbackSubmitter submitter, CallbackConfig config);

    default <T> T waitForCallback(String name, Class<T> type, CallbackSubmitter submitter) {
        return waitForCallback(name, type, submitter, CallbackConfig.defaults());
    }

    <T> T waitForCallback(String name, TypeRef<T> type, CallbackSubmitter submitter, CallbackConfig config);

    default <T> T waitForCallback(String name, TypeRef<T> type, CallbackSubmitter submitter) {
        return waitForCallback(name, type, submitter, CallbackConfig.defaults());
    }

    /**
     * Polls {@code check}, starting from {@link WaitForConditionConfig#initialState()}, with durable delays between
     * polls, until the strategy stops; returns the final state. Recorded as one STEP (subType
     * {@code WaitForCondition}) whose result is the latest state.
     *
     * @throws WaitForConditionFailedException if a check throws or the strategy gives up
     */
    <S> S waitForCondition(String name, Class<S> stateType, ConditionCheck<S> check, WaitForConditionConfig<S> config);

    <S> S waitForCondition(String name, TypeRef<S> stateType, ConditionCheck<S> check,
            WaitForConditionConfig<S> config);

    /**
     * Runs the branches concurrently, each in its own child context (subType {@code ParallelBranch}), inside a
     * CONTEXT (subType {@code Parallel}). Returns the {@link BatchResult} whatever the outcome.
     */
    <T> BatchResult<T> parallel(String name, Class<T> type, List<Branch<T>> branches, ParallelConfig config);

    default <T> BatchResult<T> parallel(String name, Class<T> type, List<Branch<T>> branches) {
        return parallel(name, type, branches, ParallelConfig.defaults());
    }

    <T> BatchResult<T> parallel(String name, TypeRef<T> type, List<Branch<T>> branches, ParallelConfig config);

    default <T> BatchResult<T> parallel(String name, TypeRef<T> type, List<Branch<T>> branches) {
        return parallel(name, type, branches, ParallelConfig.defaults());
    }

    /**
     * Runs {@code fn} for each item concurrently, each in its own child context (subType {@code MapIteration}),
     * inside a CONTEXT (subType {@code Map}). Returns the {@link BatchResult} whatever the outcome; results are in
     * item order.
     */
    <I, O> BatchResult<O> map(String name, List<I> items, Class<O> type, MapFunction<I, O> fn,
            MapConfig<? super I> config);

    default <I, O> BatchResult<O> map(String name, List<I> items, Class<O> type, MapFunction<I, O> fn) {
        return map(name, items, type, fn, MapConfig.defaults());
    }

    <I, O> BatchResult<O> map(String name, List<I> items, TypeRef<O> type, MapFunction<I, O> fn,
            MapConfig<? super I> config);

    default <I, O> BatchResult<O> map(String name, List<I> items, TypeRef<O> type, MapFunction<I, O> fn) {
        return map(name, items, type, fn, MapConfig.defaults());
    }

    /**
     * Starts {@code workflow} as a chained child execution with {@code input} and waits durably for its result
     * (a CHAINED_INVOKE operation, subType {@code ChainedInvoke}).
     *
     * @throws InvokeFailedException if the child execution failed ({@code errorInfo()} is its error)
     * @throws InvokeTimedOutException if it timed out
     * @throws InvokeStoppedException if it was stopped
     */
    <T> T invoke(String name, String workflow, Object input, Class<T> type, InvokeConfig config);

    default <T> T invoke(String name, String workflow, Object input, Class<T> type) {
        return invoke(name, workflow, input, type, InvokeConfig.defaults());
    }

    <T> T invoke(String name, String workflow, Object input, TypeRef<T> type, InvokeConfig config);

    default <T> T invoke(String name, String workflow, Object input, TypeRef<T> type) {
        return invoke(name, workflow, input, type, InvokeConfig.defaults());
    }

    /**
     * Groups operations in a child context, checkpointed as a unit: once it completed, replay returns its result
     * without running its operations again.
     */
    <T> T runInChildContext(String name, Class<T> type, ChildFunction<T> fn);

    <T> T runInChildContext(String name, TypeRef<T> type, ChildFunction<T> fn);

    /** The current time, recorded as a STEP (subType {@code Now}) so that replay sees the same instant. */
    Instant now();

    /** A random UUID, recorded as a STEP (subType {@code RandomUUID}) so that replay sees the same value. */
    UUID randomUUID();
}
