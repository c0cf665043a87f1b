package dev.cairn.api;

import java.time.Duration;
import java.util.Objects;

/**
 * A retry strategy's answer.
 *
 * @param shouldRetry whether the step runs again
 * @param delay how long to wait before the next attempt (zero when not retrying)
 */
public record RetryDecision(boolean shouldRetry, Duration delay) {

    private static final RetryDecision FAIL = new RetryDecision(false, Duration.ZERO);

    public RetryDecision {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("retry delay must not be negative, was " + delay);
        }
    }

    public static RetryDecision retryAfter(Duration delay) {
        return new RetryDecision(true, delay);
    }

    public static RetryDecision fail() {
        return FAIL;
    }
}
