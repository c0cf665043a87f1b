package dev.cairn.api;

import java.util.Optional;

/**
 * When a parallel or map completes. Unset rules ({@code null}) do not apply; with none set every item runs
 * ({@link #allCompleted()}). The batch completes as soon as one applies, checked in this order:
 * <ol>
 * <li>more failures than {@code toleratedFailureCount}, or a failed share (of all items) above
 * {@code toleratedFailurePercentage} → {@link CompletionReason#FAILURE_TOLERANCE_EXCEEDED};</li>
 * <li>every item completed → {@link CompletionReason#ALL_COMPLETED};</li>
 * <li>at least {@code minSuccessful} items succeeded → {@link CompletionReason#MIN_SUCCESSFUL_REACHED}.</li>
 * </ol>
 * Items still running when it completes early are cancelled.
 *
 * @param minSuccessful complete once this many items succeeded (at least 1), or null
 * @param toleratedFailureCount complete once more items than this failed (at least 0), or null
 * @param toleratedFailurePercentage complete once more than this share of all items, in percent (0–100), failed,
 *     or null
 */
public record CompletionConfig(Integer minSuccessful, Integer toleratedFailureCount,
        Double toleratedFailurePercentage) {

    private static final CompletionConfig ALL_COMPLETED = new CompletionConfig(null, null, null);

    public CompletionConfig {
        if (minSuccessful != null && minSuccessful < 1) {
            throw new IllegalArgumentException("minSuccessful must be at least 1, was " + minSuccessful);
        }
        if (toleratedFailureCount != null && toleratedFailureCount < 0) {
            throw new IllegalArgumentException(
                    "toleratedFailureCount must not be negative, was " + toleratedFailureCount);
        }
        if (toleratedFailurePercentage != null
                && !(toleratedFailurePercentage >= 0.0 && toleratedFailurePercentage <= 100.0)) {
            throw new IllegalArgumentException(
                    "toleratedFailurePercentage must be between 0 and 100, was " + toleratedFailurePercentage);
        }
    }

    /** Every item runs to its end, whatever fails (the default). */
    public static CompletionConfig allCompleted() {
        return ALL_COMPLETED;
    }

    /** Completes early at the first failure. */
    public static CompletionConfig allSuccessful() {
        return new CompletionConfig(null, 0, null);
    }

    /** Completes as soon as one item succeeded. */
    public static CompletionConfig firstSuccessful() {
        return new CompletionConfig(1, null, null);
    }

    /** Completes as soon as {@code n} items succeeded. */
    public static CompletionConfig minSuccessful(int n) {
        return new CompletionConfig(n, null, null);
    }

    /** Completes early once more than {@code n} items failed. */
    public static CompletionConfig toleratedFailureCount(int n) {
        return new CompletionConfig(null, n, null);
    }

    /** Completes early once more than {@code percent} % of all items failed. */
    public static CompletionConfig toleratedFailurePercentage(double percent) {
        return new CompletionConfig(null, null, percent);
    }

    public CompletionConfig withMinSuccessful(Integer n) {
        return new CompletionConfig(n, toleratedFailureCount, toleratedFailurePercentage);
    }

    public CompletionConfig withToleratedFailureCount(Integer n) {
        return new CompletionConfig(minSuccessful, n, toleratedFailurePercentage);
    }

    public CompletionConfig withToleratedFailurePercentage(Double percent) {
        return new CompletionConfig(minSuccessful, toleratedFailureCount, percent);
    }

    /**
     * Whether a batch in this state is complete, and why.
     *
     * @param total how many items the batch has
     * @param succeeded how many succeeded so far
     * @param failed how many failed so far
     * @return the reason to complete, or empty while the batch goes on
     */
    public Optional<CompletionReason> reasonToComplete(int total, int succeeded, int failed) {
        if (succeeded < 0 || failed < 0 || succeeded + failed > total) {
            throw new IllegalArgumentException(
                    "inconsistent counts: total " + total + ", succeeded " + succeeded + ", failed " + failed);
        }
        if (failed > 0 && toleranceExceeded(total, failed)) {
            return Optional.of(CompletionReason.FAILURE_TOLERANCE_EXCEEDED);
        }
        if (succeeded + failed == total) {
            return Optional.of(CompletionReason.ALL_COMPLETED);
        }
        if (minSuccessful != null && succeeded >= minSuccessful) {
            return Optional.of(CompletionReason.MIN_SUCCESSFUL_REACHED);
        }
        return Optional.empty();
    }

    private boolean toleranceExceeded(int total, int failed) {
        if (toleratedFailureCount != null && failed > toleratedFailureCount) {
            return true;
        }
        return toleratedFailurePercentage != null && failed * 100.0 / total > toleratedFailurePercentage;
    }
}
