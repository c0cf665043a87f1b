package dev.cairn.api;

import java.util.Objects;
import java.util.function.BiFunction;

/**
 * How {@link DurableContext#map} runs its items.
 *
 * @param maxConcurrency the most items begun and not yet completed at once ({@link ParallelConfig#UNLIMITED} by
 *     default); an item waiting durably still holds its slot
 * @param completion when the batch completes
 * @param itemNamer names each item's child context from the item and its index; {@code null} for the default
 *     {@code "<name>-<index>"} (the map's name, index from 0)
 */
public record MapConfig<I>(int maxConcurrency, CompletionConfig completion,
        BiFunction<? super I, Integer, String> itemNamer) {

    public MapConfig {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be at least 1, was " + maxConcurrency);
        }
        Objects.requireNonNull(completion, "completion");
    }

    /** Unlimited concurrency, {@link CompletionConfig#allCompleted()}, items named {@code "<name>-<index>"}. */
    public static <I> MapConfig<I> defaults() {
        return new MapConfig<>(ParallelConfig.UNLIMITED, CompletionConfig.allCompleted(), null);
    }

    public MapConfig<I> withMaxConcurrency(int maxConcurrency) {
        return new MapConfig<>(maxConcurrency, completion, itemNamer);
    }

    public MapConfig<I> withCompletion(CompletionConfig completion) {
        return new MapConfig<>(maxConcurrency, completion, itemNamer);
    }

    public MapConfig<I> withItemNamer(BiFunction<? super I, Integer, String> itemNamer) {
        return new MapConfig<>(maxConcurrency, completion, itemNamer);
    }
}
