package dev.cairn.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How a callback waits.
 *
 * @param timeout how long the callback may stay open, or {@code null} to wait forever
 * @param heartbeatTimeout the longest gap between heartbeats ({@code POST /v1/callbacks/{id}/heartbeat}), or
 *     {@code null} when no heartbeat is needed
 * @param submitterRetry the retry strategy of the submitter step of {@code waitForCallback}
 */
public record CallbackConfig(Duration timeout, Duration heartbeatTimeout, RetryStrategy submitterRetry) {

    private static final CallbackConfig DEFAULTS = new CallbackConfig(null, null, RetryStrategies.standard());

    public CallbackConfig {
        requirePositiveOrNull(timeout, "callback timeout");
        requirePositiveOrNull(heartbeatTimeout, "callback heartbeat timeout");
        Objects.requireNonNull(submitterRetry, "submitterRetry");
    }

    /** No timeouts (wait forever), submitter retry {@link RetryStrategies#standard()}. */
    public static CallbackConfig defaults() {
        return DEFAULTS;
    }

    public CallbackConfig withTimeout(Duration timeout) {
        return new CallbackConfig(timeout, heartbeatTimeout, submitterRetry);
    }

    public CallbackConfig withHeartbeatTimeout(Duration heartbeatTimeout) {
        return new CallbackConfig(timeout, heartbeatTimeout, submitterRetry);
    }

    public CallbackConfig withSubmitterRetry(RetryStrategy submitterRetry) {
        return new CallbackConfig(timeout, heartbeatTimeout, submitterRetry);
    }

    private static void requirePositiveOrNull(Duration d, String what) {
        if (d != null && (d.isZero() || d.isNegative())) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
    }
}
