package dev.cairn.api;

import java.util.Objects;

/**
 * How {@link DurableContext#parallel} runs its branches.
 *
 * @param maxConcurrency the most branches begun and not yet completed at once ({@link #UNLIMITED} by default); a
 *     branch waiting durably still holds its slot
 * @param completion when the batch completes
 */
public record ParallelConfig(int maxConcurrency, CompletionConfig completion) {

    /** No limit on concurrent branches. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    private static final ParallelConfig DEFAULTS = new ParallelConfig(UNLIMITED, CompletionConfig.allCompleted());

    public ParallelConfig {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be at least 1, was " + maxConcurrency);
        }
        Objects.requireNonNull(completion, "completion");
    }

    /** Unlimited concurrency, {@link CompletionConfig#allCompleted()}. */
    public static ParallelConfig defaults() {
        return DEFAULTS;
    }

    public ParallelConfig withMaxConcurrency(int maxConcurrency) {
        return new ParallelConfig(maxConcurrency, completion);
    }

    public ParallelConfig withCompletion(CompletionConfig completion) {
        return new ParallelConfig(maxConcurrency, completion);
    }
}
