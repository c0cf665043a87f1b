package dev.cairn.api;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What a parallel or map returns, whatever the outcome: every item in index order and why the batch completed.
 *
 * @param all every item, in index order
 * @param completionReason why the batch completed
 * @param operationId the batch's operation id (null when not known)
 */
public record BatchResult<T>(List<BatchItem<T>> all, CompletionReason completionReason, String operationId) {

    public BatchResult {
        Objects.requireNonNull(completionReason, "completionReason");
        all = all.stream().sorted(Comparator.comparingInt(BatchItem::index)).toList();
    }

    public BatchResult(List<BatchItem<T>> all, CompletionReason completionReason) {
        this(all, completionReason, null);
    }

    /** The results of the items that succeeded, in index order. */
    public List<T> results() {
        return succeeded().stream().map(BatchItem::result).toList();
    }

    public List<BatchItem<T>> succeeded() {
        return withStatus(ItemStatus.SUCCEEDED);
    }

    public List<BatchItem<T>> failed() {
        return withStatus(ItemStatus.FAILED);
    }

    public int successCount() {
        return succeeded().size();
    }

    public int failureCount() {
        return failed().size();
    }

    public int totalCount() {
        return all.size();
    }

    public boolean hasFailure() {
        return all.stream().anyMatch(item -> item.status() == ItemStatus.FAILED);
    }

    /**
     * Throws when an item failed.
     *
     * @throws BatchCompletionException whose {@code errorInfo()} is the first failed item's error
     */
    public void throwIfError() {
        List<BatchItem<T>> failed = failed();
        if (failed.isEmpty()) {
            return;
        }
        BatchItem<T> first = failed.get(0);
        String message = failed.size() + " of " + all.size() + " item(s) failed (" + completionReason
                + "); first: '" + first.name() + "' (index " + first.index() + ")"
                + (first.error() != null ? ": " + first.error().message() : "");
        throw new BatchCompletionException(message, operationId, first.error());
    }

    private List<BatchItem<T>> withStatus(ItemStatus status) {
        return all.stream().filter(item -> item.status() == status).toList();
    }
}
