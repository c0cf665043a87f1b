package dev.cairn.api;

/** How often a step body may run per retry attempt. */
public enum StepSemantics {
    /** The body may run again if the worker dies before its result is checkpointed (the default). */
    AT_LEAST_ONCE_PER_RETRY,
    /**
     * The attempt's START is durable before the body runs; a started attempt found on replay is treated as
     * interrupted ({@link StepInterruptedException} goes to the retry strategy) and never re-run as the same
     * attempt.
     */
    AT_MOST_ONCE_PER_RETRY
}
