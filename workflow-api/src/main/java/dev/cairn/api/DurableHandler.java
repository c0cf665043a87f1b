package dev.cairn.api;

/**
 * A durable workflow: plain code whose durable operations are checkpointed through the {@link DurableContext}.
 *
 * <p>The handler is run from the top on every invocation. Operations that already completed return their
 * recorded results without running again, so the code must be deterministic between durable operations: no
 * wall-clock reads ({@link DurableContext#now()}), no random values ({@link DurableContext#randomUUID()}), no
 * reads of changing external state outside a step.
 *
 * @param <I> the input type, deserialized from the execution's input
 * @param <O> the result type
 */
@FunctionalInterface
public interface DurableHandler<I, O> {

    O handle(I input, DurableContext ctx) throws Exception;
}
