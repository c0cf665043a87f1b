package dev.cairn.api;

/** The body of one item of {@link DurableContext#map}, run in the item's own child context. */
@FunctionalInterface
public interface MapFunction<I, O> {

    O apply(DurableContext ctx, I item, int index) throws Exception;
}
