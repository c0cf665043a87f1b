package dev.cairn.api;

/** The body of a step. */
@FunctionalInterface
public interface StepFunction<T> {

    T apply(StepContext ctx) throws Exception;
}
