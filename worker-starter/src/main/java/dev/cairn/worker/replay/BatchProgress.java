package dev.cairn.worker.replay;

import dev.cairn.api.BatchItem;
import dev.cairn.api.BatchResult;
import dev.cairn.api.CompletionConfig;
import dev.cairn.api.CompletionReason;
import dev.cairn.api.ErrorInfo;
import dev.cairn.api.ItemStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the items of one parallel or map stand in this invocation, and whether the batch is complete. Shared by
 * the coordinating thread and the item threads; once complete it accepts no more item outcomes.
 *
 * <p>Item phases: WAITING (never begun) → ACTIVE (running on a thread of this invocation) → DONE; an item begun in
 * an earlier invocation starts RESUMABLE and becomes ACTIVE when it gets a thread again. Items become ACTIVE in
 * index order, RESUMABLE ones first, at most {@code maxConcurrency} at once.
 */
final class BatchProgress<T> {

    private enum Phase { WAITING, RESUMABLE, ACTIVE, DONE }

    private final Object lock = new Object();
    private final AtomicLong changes = new AtomicLong();
    private final List<String> names;
    private final CompletionConfig completion;
    private final Phase[] phases;
    private final ItemStatus[] outcomes;
    private final List<T> results;
    private final String[] resultTexts;
    private final ErrorInfo[] errors;
    private int active;
    private int succeeded;
    private int failed;
    private CompletionReason reason;

    BatchProgress(List<String> names, CompletionConfig completion) {
        this.names = List.copyOf(names);
        this.completion = completion;
        int total = names.size();
        this.phases = new Phase[total];
        this.outcomes = new ItemStatus[total];
        this.results = new ArrayList<>(Collections.nCopies(total, null));
        this.resultTexts = new String[total];
        this.errors = new ErrorInfo[total];
        Arrays.fill(phases, Phase.WAITING);
    }

    /** An item recorded as begun in an earlier invocation and not finished. */
    void resumable(int index) {
        synchronized (lock) {
            phases[index] = Phase.RESUMABLE;
        }
    }

    /** An item recorded as succeeded: it does not run again. */
    void recordedSuccess(int index, T value, String text) {
        synchronized (lock) {
            done(index, ItemStatus.SUCCEEDED, value, text, null);
        }
    }

    /** An item recorded as failed: it does not run again. */
    void recordedFailure(int index, ErrorInfo error) {
        synchronized (lock) {
            done(index, ItemStatus.FAILED, null, null, error);
        }
    }

    /** Checks the completion rule against what is recorded, before any item runs. */
    void evaluate() {
        synchronized (lock) {
            evaluateLocked();
        }
    }

    /** Marks the next items to run ACTIVE and returns their indexes (none once complete or with no free slot). */
    List<Integer> begin(int maxConcurrency) {
        synchronized (lock) {
            List<Integer> begun = new ArrayList<>();
            if (reason != null) {
                return begun;
            }
            for (Phase from : new Phase[] {Phase.RESUMABLE, Phase.WAITING}) {
                for (int i = 0; i < phases.length && active < maxConcurrency; i++) {
                    if (phases[i] == from) {
                        phases[i] = Phase.ACTIVE;
                        active++;
                        begun.add(i);
                    }
                }
            }
            return begun;
        }
    }

    /**
     * Records an item's success unless the batch completed meanwhile; {@code checkpoint} queues its checkpoint in
     * the same step, so that no item is both reported and cancelled.
     *
     * @return false when the batch had completed: the item was abandoned
     */
    boolean succeed(int index, T value, String text, Runnable checkpoint) {
        return finish(index, ItemStatus.SUCCEEDED, value, text, null, checkpoint);
    }

    /** Like {@link #succeed}, for a failure. */
    boolean fail(int index, ErrorInfo error, Runnable checkpoint) {
        return finish(index, ItemStatus.FAILED, null, null, error, checkpoint);
    }

    boolean isComplete() {
        synchronized (lock) {
            return reason != null;
        }
    }

    /** Grows whenever an item finishes, for the coordinator to wait on without a lock. */
    long changes() {
        return changes.get();
    }

    /** Indexes of items begun (in this or an earlier invocation) and not finished. */
    List<Integer> unfinishedBegun() {
        synchronized (lock) {
            List<Integer> unfinished = new ArrayList<>();
            for (int i = 0; i < phases.length; i++) {
                if (phases[i] == Phase.ACTIVE || phases[i] == Phase.RESUMABLE) {
                    unfinished.add(i);
                }
            }
            return unfinished;
        }
    }

    /** The batch's result; only once complete. */
    BatchResult<T> result(String operationId) {
        synchronized (lock) {
            List<BatchItem<T>> items = new ArrayList<>(phases.length);
            for (int i = 0; i < phases.length; i++) {
                ItemStatus status = switch (phases[i]) {
                    case DONE -> outcomes[i];
                    case ACTIVE, RESUMABLE -> ItemStatus.STARTED;
                    case WAITING -> ItemStatus.SKIPPED;
                };
                items.add(new BatchItem<>(i, names.get(i), status, results.get(i), errors[i]));
            }
            return new BatchResult<>(items, reason, operationId);
        }
    }

    /** The serialized result of a succeeded item. */
    String resultText(int index) {
        synchronized (lock) {
            return resultTexts[index];
        }
    }

    private boolean finish(int index, ItemStatus outcome, T value, String text, ErrorInfo error,
            Runnable checkpoint) {
        synchronized (lock) {
            if (reason != null) {
                return false;
            }
            checkpoint.run();
            active--;
            done(index, outcome, value, text, error);
            evaluateLocked();
        }
        changes.incrementAndGet();
        return true;
    }

    private void done(int index, ItemStatus outcome, T value, String text, ErrorInfo error) {
        phases[index] = Phase.DONE;
        outcomes[index] = outcome;
        results.set(index, value);
        resultTexts[index] = text;
        errors[index] = error;
        if (outcome == ItemStatus.SUCCEEDED) {
            succeeded++;
        } else {
            failed++;
        }
    }

    private void evaluateLocked() {
        if (reason == null) {
            reason = completion.reasonToComplete(phases.length, succeeded, failed).orElse(null);
        }
    }
}
