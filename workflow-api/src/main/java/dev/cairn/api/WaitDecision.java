package dev.cairn.api;

import java.time.Duration;
import java.util.Objects;

/**
 * A {@link WaitStrategy}'s answer after a condition check.
 *
 * @param shouldContinue whether to poll again
 * @param delay how long to wait durably before the next poll (zero when stopping)
 */
public record WaitDecision(boolean shouldContinue, Duration delay) {

    private static final WaitDecision STOP = new WaitDecision(false, Duration.ZERO);

    public WaitDecision {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("wait delay must not be negative, was " + delay);
        }
    }

    /** Poll again after {@code delay}. */
    public static WaitDecision continueAfter(Duration delay) {
        return new WaitDecision(true, delay);
    }

    /** The condition is met: the wait ends with the state the check returned. */
    public static WaitDecision stop() {
        return STOP;
    }
}
