package dev.cairn.api;

/** How one item of a parallel or map ended. */
public enum ItemStatus {
    /** It completed with a result. */
    SUCCEEDED,
    /** It completed with a failure. */
    FAILED,
    /** It had begun when the batch completed early; it was cancelled. */
    STARTED,
    /** It had not begun when the batch completed early. */
    SKIPPED
}
