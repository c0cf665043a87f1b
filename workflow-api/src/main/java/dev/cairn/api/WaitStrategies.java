package dev.cairn.api;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Ready-made {@link WaitStrategy}s. Each stops as soon as {@code done} holds for the state a check returned; when
 * check number {@code maxAttempts} still is not done, it throws {@link WaitForConditionFailedException} and the
 * wait fails.
 */
public final class WaitStrategies {

    private WaitStrategies() {
    }

    /** Polls every {@code delay}, at most {@code maxAttempts} times. */
    public static <S> WaitStrategy<S> fixedDelay(Predicate<S> done, Duration delay, int maxAttempts) {
        Objects.requireNonNull(done, "done");
        requireNonNegative(delay, "delay");
        requireAttempts(maxAttempts);
        return (state, attempt) -> {
            if (done.test(state)) {
                return WaitDecision.stop();
            }
            giveUpAfter(maxAttempts, attempt);
            return WaitDecision.continueAfter(delay);
        };
    }

    /**
     * After check {@code n} (from 1) waits {@code initialDelay × backoffRate^(n-1)}, capped at {@code maxDelay},
     * then jittered; at most {@code maxAttempts} checks.
     */
    public static <S> WaitStrategy<S> exponentialBackoff(Predicate<S> done, int maxAttempts, Duration initialDelay,
            Duration maxDelay, double backoffRate, Jitter jitter) {
        Objects.requireNonNull(done, "done");
        requireAttempts(maxAttempts);
        requireNonNegative(initialDelay, "initialDelay");
        requireNonNegative(maxDelay, "maxDelay");
        Objects.requireNonNull(jitter, "jitter");
        if (!(backoffRate >= 1.0) || Double.isInfinite(backoffRate)) {
            throw new IllegalArgumentException("backoffRate must be a finite number >= 1, was " + backoffRate);
        }
        return (state, attempt) -> {
            if (done.test(state)) {
                return WaitDecision.stop();
            }
            giveUpAfter(maxAttempts, attempt);
            double nanos = initialDelay.toNanos() * Math.pow(backoffRate, attempt - 1);
            Duration delay = nanos >= maxDelay.toNanos() ? maxDelay : Duration.ofNanos((long) nanos);
            return WaitDecision.continueAfter(jitter.apply(delay));
        };
    }

    private static void giveUpAfter(int maxAttempts, int attempt) {
        if (attempt >= maxAttempts) {
            throw new WaitForConditionFailedException(
                    "The condition was still not met after " + attempt + " attempt(s)", null, null);
        }
    }

    private static void requireAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
    }

    private static void requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
    }
}
