package dev.cairn.orchestrator.commit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * In what order a batch's jobs are written and which consecutive ones go in one combined statement: jobs keep the
 * order they were queued in, except that a batch whose jobs all have distinct {@link Work#sequenceKey()}s (no two
 * depend on each other's order) is arranged kind by kind, so that its combinable jobs are consecutive.
 */
final class BatchOrder {

    /** Stands for "no combined statement" among the kinds of {@link #byKind}. */
    private static final Object ALONE = new Object();

    private BatchOrder() {
    }

    /**
     * The batch grouped by {@link CombineKind} (kinds in order of first appearance, jobs of no kind as one more group,
     * each group's jobs in queue order) when every job has its own {@link Work#sequenceKey()}; else the batch as it is.
     */
    static List<Job<?>> byKind(List<Job<?>> batch) {
        if (batch.size() < 3) {
            return batch;
        }
        Set<Object> sequences = new HashSet<>();
        Map<Object, List<Job<?>>> kinds = new LinkedHashMap<>();
        Map<CombineKind<?, ?>, Object> kindKeys = new IdentityHashMap<>();
        for (Job<?> job : batch) {
            Object sequence = job.work.sequenceKey();
            if (sequence == null || !sequences.add(sequence)) {
                return batch;
            }
            Combinable<?, ?> combinable = job.work.combinable();
            Object kind = combinable == null ? ALONE : kindKeys.computeIfAbsent(combinable.kind(), k -> new Object());
            kinds.computeIfAbsent(kind, k -> new ArrayList<>()).add(job);
        }
        if (kinds.size() < 2) {
            return batch;
        }
        List<Job<?>> arranged = new ArrayList<>(batch.size());
        kinds.values().forEach(arranged::addAll);
        return arranged;
    }

    /**
     * The end (exclusive) of the run of jobs that starts at {@code from} and can be written in one combined
     * statement: consecutive, combinable, of the same {@link CombineKind}, with distinct {@link Combinable#key()}s.
     * {@code from + 1} when the job at {@code from} is written by a statement of its own.
     */
    static int runEnd(List<Job<?>> jobs, int from) {
        Combinable<?, ?> first = jobs.get(from).work.combinable();
        if (first == null) {
            return from + 1;
        }
        Set<Object> keys = new HashSet<>();
        int end = from;
        while (end < jobs.size()) {
            Combinable<?, ?> combinable = jobs.get(end).work.combinable();
            if (combinable == null || combinable.kind() != first.kind() || !keys.add(combinable.key())) {
                break;
            }
            end++;
        }
        return end;
    }
}
