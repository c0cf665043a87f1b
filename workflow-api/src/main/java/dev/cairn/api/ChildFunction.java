package dev.cairn.api;

/** The body of a child context. */
@FunctionalInterface
public interface ChildFunction<T> {

    T apply(DurableContext ctx) throws Exception;
}
