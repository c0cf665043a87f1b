package dev.cairn.orchestrator.worker;

import dev.cairn.orchestrator.OrchestratorProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * What the registered workers serve: the version a start or a chained invoke runs on, and the workflow and worker
 * lists of the REST API.
 */
@Service
public class WorkflowCatalog {

    /**
     * How long the versions of a workflow read for a start are used again. A version registered through another
     * replica, or a worker that stops heartbeating, shows in a start at most this much later (the dispatcher's list
     * of live workers is as fresh); one registered through this replica shows at once, and a workflow or version
     * not found is always looked for in the database.
     */
    static final Duration VERSIONS_REFRESH = Duration.ofSeconds(1);

    private final WorkerStore store;
    private final ConcurrentHashMap<String, Versions> versionsRead = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration workerTimeout;

    private final long versionsRefreshNanos;

    @Autowired
    public WorkflowCatalog(WorkerStore store, Clock clock, OrchestratorProperties properties) {
        this(store, clock, properties.workerTimeout(), VERSIONS_REFRESH);
    }

    WorkflowCatalog(WorkerStore store, Clock clock, Duration workerTimeout, Duration versionsRefresh) {
        this.store = store;
        this.clock = clock;
        this.workerTimeout = workerTimeout;
        this.versionsRefreshNanos = versionsRefresh.toNanos();
    }

    /**
     * The requested version when it was ever registered; without one, the current version: the highest served by a
     * live worker, or, with none live, the highest ever registered.
     */
    public ResolvedVersion resolve(String workflow, String requested) {
        List<RegisteredVersion> versions = recentVersions(workflow);
        if (versions == null || requested != null && versions.stream().noneMatch(v -> v.version().equals(requested))) {
            versions = readVersions(workflow);
        }
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

    /**
     * The versions of {@code workflow} as read less than the refresh ({@link #VERSIONS_REFRESH}) ago, with no registration through
     * this replica since; null when there is no such read.
     */
    private List<RegisteredVersion> recentVersions(String workflow) {
        Versions read = versionsRead.get(workflow);
        return read != null && System.nanoTime() - read.nanos() < versionsRefreshNanos
                && read.changes() == store.changes() ? read.versions() : null;
    }

    /** Reads the versions of {@code workflow}, and keeps them when there are any (an unknown one is read each time). */
    private List<RegisteredVersion> readVersions(String workflow) {
        long changes = store.changes();
        long nanos = System.nanoTime();
        List<RegisteredVersion> versions = List.copyOf(store.versions(workflow, liveSince()));
        if (!versions.isEmpty()) {
            versionsRead.put(workflow, new Versions(versions, nanos, changes));
        }
        return versions;
    }

    /** The versions of a workflow, when they were read, and the count of registrations through this replica then. */
    private record Versions(List<RegisteredVersion> versions, long nanos, long changes) {
    }

    private Instant liveSince() {
        return clock.instant().minus(workerTimeout);
    }
}
