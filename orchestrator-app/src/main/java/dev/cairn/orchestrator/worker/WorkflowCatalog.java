package dev.cairn.orchestrator.worker;

import dev.cairn.orchestrator.OrchestratorProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * What the registered workers serve: the version a start or a chained invoke runs on, and the workflow and worker
 * lists of the REST API.
 */
@Service
public class WorkflowCatalog {

    private final WorkerStore store;
    private final Clock clock;
    private final Duration workerTimeout;

    public WorkflowCatalog(WorkerStore store, Clock clock, OrchestratorProperties properties) {
        this.store = store;
        this.clock = clock;
        this.workerTimeout = properties.workerTimeout();
    }

    /**
     * The requested version when it was ever registered; without one, the current version: the highest served by a
     * live worker, or, with none live, the highest ever registered.
     */
    public ResolvedVersion resolve(String workflow, String requested) {
        List<RegisteredVersion> versions = store.versions(workflow, liveSince());
        if (versions.isEmpty()) {
            return new ResolvedVersion(workflow, requested, null, false);
        }
        if (requested != null) {
            boolean known = versions.stream().anyMatch(v -> v.version().equals(requested));
            return new ResolvedVersion(workflow, requested, known ? requested : null, true);
        }
        return new ResolvedVersion(workflow, null, current(versions), true);
    }

    /** A page of workflows, by name, after {@code afterName}. */
    public List<WorkflowSummary> workflows(String afterName, int limit) {
        return store.workflows(afterName, limit, liveSince()).stream()
                .map(w -> new WorkflowSummary(w.name(),
                        w.versions().stream().map(RegisteredVersion::version).sorted(VersionOrder.INSTANCE).toList(),
                        current(w.versions()), w.liveWorkers()))
                .toList();
    }

    /** A page of workers, by id, after {@code afterId}. */
    public List<WorkerSummary> workers(String afterId, int limit) {
        return store.workers(afterId, limit, liveSince());
    }

    private static String current(List<RegisteredVersion> versions) {
        List<String> live = versions.stream().filter(RegisteredVersion::live).map(RegisteredVersion::version).toList();
        List<String> candidates = live.isEmpty() ? versions.stream().map(RegisteredVersion::version).toList() : live;
        return VersionOrder.highest(candidates).orElse(null);
    }

    private Instant liveSince() {
        return clock.instant().minus(workerTimeout);
    }
}
