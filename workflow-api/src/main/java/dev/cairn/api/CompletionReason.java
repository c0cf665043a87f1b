package dev.cairn.api;

/** Why a parallel or map completed. */
public enum CompletionReason {
    /** Every item completed (succeeded or failed) and no failure tolerance was exceeded. */
    ALL_COMPLETED,
    /** {@link CompletionConfig#minSuccessful()} items succeeded before all had completed. */
    MIN_SUCCESSFUL_REACHED,
    /** More items failed than {@link CompletionConfig} tolerates. */
    FAILURE_TOLERANCE_EXCEEDED
}
