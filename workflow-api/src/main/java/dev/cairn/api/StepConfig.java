package dev.cairn.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How a step runs.
 *
 * @param retry what to do when an attempt fails
 * @param semantics at-least-once (default) or at-most-once per retry attempt
 * @param timeout the longest an attempt may run, or {@code null} for none
 * @param serdes how the result is serialized, or {@code null} for the worker's default
 */
public record StepConfig(RetryStrategy retry, StepSemantics semantics, Duration timeout, Serdes serdes) {

    private static final StepConfig DEFAULTS =
            new StepConfig(RetryStrategies.standard(), StepSemantics.AT_LEAST_ONCE_PER_RETRY, null, null);

    public StepConfig {
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(semantics, "semantics");
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new IllegalArgumentException("step timeout must be positive, was " + timeout);
        }
    }

    /** Retry {@link RetryStrategies#standard()}, at-least-once per retry, no timeout, the worker's serdes. */
    public static StepConfig defaults() {
        return DEFAULTS;
    }

    public StepConfig withRetry(RetryStrategy retry) {
        return new StepConfig(retry, semantics, timeout, serdes);
    }

    public StepConfig withSemantics(StepSemantics semantics) {
        return new StepConfig(retry, semantics, timeout, serdes);
    }

    public StepConfig withTimeout(Duration timeout) {
        return new StepConfig(retry, semantics, timeout, serdes);
    }

    public StepConfig withSerdes(Serdes serdes) {
        return new StepConfig(retry, semantics, timeout, serdes);
    }
}
