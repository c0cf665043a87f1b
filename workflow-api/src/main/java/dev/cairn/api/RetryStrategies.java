package dev.cairn.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** Ready-made retry strategies. */
public final class RetryStrategies {

    private static final RetryStrategy STANDARD =
            exponentialBackoff(6, Duration.ofSeconds(5), Duration.ofSeconds(60), 2.0, Jitter.FULL);
    private static final RetryStrategy NO_RETRY = (error, attempt) -> RetryDecision.fail();

    private RetryStrategies() {
    }

    /** 6 attempts, exponential from 5 s, ×2, at most 60 s, full jitter. */
    public static RetryStrategy standard() {
        return STANDARD;
    }

    /** Never retries: the first failure fails the step. */
    public static RetryStrategy noRetry() {
        return NO_RETRY;
    }

    /**
     * Attempt {@code n} (from 1) is followed by a delay of {@code initialDelay × backoffRate^(n-1)}, capped at
     * {@code maxDelay}, then jittered; after {@code maxAttempts} attempts the step fails.
     */
    public static RetryStrategy exponentialBackoff(int maxAttempts, Duration initialDelay, Duration maxDelay,
            double backoffRate, Jitter jitter) {
        requireAttempts(maxAttempts);
        requireNonNegative(initialDelay, "initialDelay");
        requireNonNegative(maxDelay, "maxDelay");
        Objects.requireNonNull(jitter, "jitter");
        if (!(backoffRate >= 1.0) || Double.isInfinite(backoffRate)) {
            throw new IllegalArgumentException("backoffRate must be a finite number >= 1, was " + backoffRate);
        }
        return (error, attempt) -> {
            if (attempt >= maxAttempts) {
                return RetryDecision.fail();
            }
            double nanos = initialDelay.toNanos() * Math.pow(backoffRate, attempt - 1);
            Duration delay = nanos >= maxDelay.toNanos() ? maxDelay : Duration.ofNanos((long) nanos);
            return RetryDecision.retryAfter(jitter.apply(delay));
        };
    }

    /** Attempt {@code n} is followed by {@code initialDelay + increment × (n-1)}, capped at {@code maxDelay}. */
    public static RetryStrategy linear(int maxAttempts, Duration initialDelay, Duration increment, Duration maxDelay) {
        requireAttempts(maxAttempts);
        requireNonNegative(initialDelay, "initialDelay");
        requireNonNegative(increment, "increment");
        requireNonNegative(maxDelay, "maxDelay");
        return (error, attempt) -> {
            if (attempt >= maxAttempts) {
                return RetryDecision.fail();
            }
            Duration delay = initialDelay.plus(increment.multipliedBy(attempt - 1L));
            return RetryDecision.retryAfter(delay.compareTo(maxDelay) > 0 ? maxDelay : delay);
        };
    }

    /** The same delay after every failed attempt, up to {@code maxAttempts} attempts. */
    public static RetryStrategy fixedDelay(int maxAttempts, Duration delay) {
        requireAttempts(maxAttempts);
        requireNonNegative(delay, "delay");
        return (error, attempt) -> attempt >= maxAttempts ? RetryDecision.fail() : RetryDecision.retryAfter(delay);
    }

    /**
     * Retries only errors that are instances of one of {@code types} (subclasses included), as {@code base}
     * decides; any other error fails the step at once.
     */
    @SafeVarargs
    public static RetryStrategy retryOn(RetryStrategy base, Class<? extends Throwable>... types) {
        Objects.requireNonNull(base, "base");
        List<Class<? extends Throwable>> retryable = List.of(types);
        if (retryable.isEmpty()) {
            throw new IllegalArgumentException("retryOn needs at least one exception type");
        }
        return (error, attempt) -> retryable.stream().anyMatch(t -> t.isInstance(error))
                ? base.decide(error, attempt)
                : RetryDecision.fail();
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
