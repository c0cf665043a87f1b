package dev.cairn.api;

/**
 * Engine hook behind {@link DurableFuture#allOf} and {@link DurableFuture#anyOf}: combining futures needs the
 * engine that runs them, so the futures a {@link DurableContext} returns provide it. Not for workflow code.
 */
public interface FutureCombinator {

    DurableFuture<Void> allOf(DurableFuture<?>[] futures);

    DurableFuture<Object> anyOf(DurableFuture<?>[] futures);

    /** Implemented by engine futures. */
    interface Provider {
        FutureCombinator combinator();
    }
}
