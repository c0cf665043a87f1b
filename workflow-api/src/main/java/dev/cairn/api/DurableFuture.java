package dev.cairn.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * The result of an operation started with an {@code …Async} method.
 */
public interface DurableFuture<T> {

    /**
     * Blocks until the operation completed and returns its result, or throws its failure. If the operation
     * waits durably, the invocation may suspend here and resume by replay.
     */
    T get();

    boolean isDone();

    /**
     * A future that completes when all complete; its {@code get()} throws the failure of the first future in
     * argument order that failed.
     */
    static DurableFuture<Void> allOf(DurableFuture<?>... fs) {
        return combinator(fs).allOf(fs);
    }

    /**
     * A future that completes with the result (or failure) of whichever future completes first. The choice is
     * recorded the first time the code asks for the outcome, before the code gets it, and a replay goes with the
     * recorded choice (an operation of its own: STEP, subType {@code AnyOf}). Call it from workflow code (the
     * handler, a child context, a batch branch), not from threads of your own.
     */
    static DurableFuture<Object> anyOf(DurableFuture<?>... fs) {
        return combinator(fs).anyOf(fs);
    }

    private static FutureCombinator combinator(DurableFuture<?>[] fs) {
        Objects.requireNonNull(fs, "futures");
        if (fs.length == 0) {
            throw new IllegalArgumentException("at least one future is needed");
        }
        return Arrays.stream(fs)
                .map(f -> Objects.requireNonNull(f, "future"))
                .filter(FutureCombinator.Provider.class::isInstance)
                .map(f -> ((FutureCombinator.Provider) f).combinator())
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "allOf/anyOf take futures returned by a DurableContext"));
    }
}
