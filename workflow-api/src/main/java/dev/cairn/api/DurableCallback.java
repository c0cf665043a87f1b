package dev.cairn.api;

/**
 * A callback made by {@link DurableContext#createCallback}: hand {@link #callbackId()} to whoever completes it
 * ({@code POST /v1/callbacks/{callbackId}/succeed} or {@code /fail}); {@link #get()} blocks durably until then.
 * The invocation suspends while nothing else can progress and resumes by replay once the callback completed.
 * Works with {@link DurableFuture#allOf} and {@link DurableFuture#anyOf}.
 */
public interface DurableCallback<T> extends DurableFuture<T> {

    /** The callback's id: at least 128 random bits, URL-safe, revealing nothing about the execution. */
    String callbackId();

    /**
     * The result the callback was completed with.
     *
     * @throws CallbackFailedException if it was completed with a failure
     * @throws CallbackTimeoutException if it was not completed (or not heartbeated) in time
     */
    @Override
    T get();
}
