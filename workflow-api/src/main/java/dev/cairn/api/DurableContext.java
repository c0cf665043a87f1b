package dev.cairn.api;

import java.time.Duration;
import java.time.Instant;
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
