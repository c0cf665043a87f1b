package dev.cairn.api;

/** Decides, after a failed attempt, whether and when a step runs again. */
@FunctionalInterface
public interface RetryStrategy {

    /**
     * @param error the attempt's own exception, including {@link StepTimeoutException} and
     *     {@link StepInterruptedException}
     * @param attempt the attempt that failed, from 1
     */
    RetryDecision decide(Throwable error, int attempt);
}
