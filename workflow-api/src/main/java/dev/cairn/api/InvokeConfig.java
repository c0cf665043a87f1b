package dev.cairn.api;

import java.time.Duration;

/**
 * How {@link DurableContext#invoke} starts the chained execution.
 *
 * @param version the workflow version to run, or {@code null} for its current version
 * @param timeout the child execution's timeout, or {@code null} for none
 */
public record InvokeConfig(String version, Duration timeout) {

    private static final InvokeConfig DEFAULTS = new InvokeConfig(null, null);

    public InvokeConfig {
        if (version != null && version.isBlank()) {
            throw new IllegalArgumentException("an invoked version must not be blank");
        }
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new IllegalArgumentException("invoke timeout must be positive, was " + timeout);
        }
    }

    /** The workflow's current version, no timeout. */
    public static InvokeConfig defaults() {
        return DEFAULTS;
    }

    public InvokeConfig withVersion(String version) {
        return new InvokeConfig(version, timeout);
    }

    public InvokeConfig withTimeout(Duration timeout) {
        return new InvokeConfig(version, timeout);
    }
}
