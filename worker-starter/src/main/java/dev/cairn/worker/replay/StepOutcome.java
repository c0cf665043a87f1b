package dev.cairn.worker.replay;

/** What one attempt of a step whose body ran came to, as told to an {@link EngineListener}. */
public enum StepOutcome {
    /** The body returned and its result was within the payload limit: the step succeeds. */
    SUCCEEDED,
    /** The body threw (or its result was too large) and the retry strategy gave up: the step fails. */
    FAILED,
    /** The body threw and the retry strategy asked for another attempt later. */
    RETRY
}
