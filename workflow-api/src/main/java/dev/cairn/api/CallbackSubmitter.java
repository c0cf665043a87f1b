package dev.cairn.api;

/** Hands a callback's id to the outside world; runs as a step of {@link DurableContext#waitForCallback}. */
@FunctionalInterface
public interface CallbackSubmitter {

    void submit(String callbackId, StepContext ctx) throws Exception;
}
