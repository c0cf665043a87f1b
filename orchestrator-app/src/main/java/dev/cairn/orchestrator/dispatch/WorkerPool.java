package dev.cairn.orchestrator.dispatch;

import dev.cairn.orchestrator.worker.LiveWorker;
import dev.cairn.protocol.WorkflowRef;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The live workers of one dispatcher pass and their free capacity: capacity minus the invocations leased to them
 * (across all replicas) minus those assigned during this pass. Chooses the least loaded worker that serves exactly
 * the execution's workflow and version.
 */
final class WorkerPool {

    private final List<LiveWorker> workers;
    private final Map<String, Integer> assigned = new HashMap<>();

    /**
     * @param available whether a worker may be used now (e.g. its circuit breaker is not open)
     */
    WorkerPool(List<LiveWorker> workers, Predicate<String> available) {
        this.workers = workers.stream().filter(w -> available.test(w.workerId())).toList();
    }

    /** The workflow versions some worker with free capacity serves. */
    Set<WorkflowRef> servable() {
        Set<WorkflowRef> refs = new LinkedHashSet<>();
        for (LiveWorker w : workers) {
            if (free(w) > 0) {
                refs.addAll(w.workflows());
            }
        }
        return refs;
    }

    /** Free capacity over all workers. */
    int totalFree() {
        return workers.stream().mapToInt(this::free).sum();
    }

    /** Takes one slot of the least loaded worker serving exactly {@code workflow} at {@code version}. */
    Optional<LiveWorker> take(String workflow, String version) {
        LiveWorker best = null;
        double bestLoad = Double.MAX_VALUE;
        for (LiveWorker w : workers) {
            if (!w.serves(workflow, version) || free(w) <= 0) {
                continue;
            }
            double load = (double) (w.capacity() - free(w)) / w.capacity();
            if (load < bestLoad) {
                best = w;
                bestLoad = load;
            }
        }
        if (best != null) {
            assigned.merge(best.workerId(), 1, Integer::sum);
        }
        return Optional.ofNullable(best);
    }

    private int free(LiveWorker w) {
        return Math.max(0, w.capacity() - w.leased() - assigned.getOrDefault(w.workerId(), 0));
    }
}
