package dev.cairn.orchestrator.execution;

import dev.cairn.orchestrator.OrchestratorProperties;
import dev.cairn.orchestrator.json.PayloadJson;
import dev.cairn.orchestrator.notify.Wakeups;
import dev.cairn.orchestrator.worker.RegisteredVersion;
import dev.cairn.orchestrator.worker.WorkerStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Starts executions: resolves the version, stores the execution ready for dispatch, handles idempotent names. */
@Service
public class ExecutionService {

    private static final Logger log = LoggerFactory.getLogger(ExecutionService.class);

    private final ExecutionStore executions;
    private final WorkerStore workers;
    private final PayloadJson json;
    private final Wakeups wakeups;
    private final Clock clock;
    private final Duration workerTimeout;

    public ExecutionService(ExecutionStore executions, WorkerStore workers, PayloadJson json, Wakeups wakeups,
            Clock clock, OrchestratorProperties properties) {
        this.executions = executions;
        this.workers = workers;
        this.json = json;
        this.wakeups = wakeups;
        this.clock = clock;
        this.workerTimeout = properties.workerTimeout();
    }

    /**
     * Starts an execution of {@code workflow}, or returns the existing one of the same name and input.
     *
     * @throws WorkflowNotFoundException when no worker ever registered the workflow (or the requested version)
     * @throws ExecutionNameConflictException when the name is taken by an execution with other input
     */
    public StartResult start(String workflow, StartRequest request) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String version = resolveVersion(workflow, request.version(), now);
        String input = request.input() == null ? null : json.write(request.input());
        Instant timeoutAt = request.timeoutSeconds() == null ? null : now.plusSeconds(request.timeoutSeconds());
        NewExecution execution = new NewExecution(UUID.randomUUID(), workflow, version, request.executionName(), input,
                now, timeoutAt, request.retentionDays(), json.object("workflow", workflow, "version", version,
                        "executionName", request.executionName(), "timeoutAt", timeoutAt));
        if (executions.insert(execution)) {
            log.debug("Started execution {} of {} version {}", execution.executionId(), workflow, version);
            wakeups.ready().signal();
            return new StartResult(execution.view(), true);
        }
        ExecutionView existing = executions.findByName(workflow, request.executionName())
                .orElseThrow(() -> new IllegalStateException("execution '" + request.executionName()
                        + "' of " + workflow + " conflicted but cannot be found"));
        if (!Objects.equals(request.input(), json.parse(existing.input()))) {
            throw new ExecutionNameConflictException(workflow, request.executionName(), existing.executionId());
        }
        return new StartResult(existing, false);
    }

    private String resolveVersion(String workflow, String requested, Instant now) {
        List<RegisteredVersion> versions = workers.versions(workflow, now.minus(workerTimeout));
        if (versions.isEmpty()) {
            throw WorkflowNotFoundException.workflow(workflow);
        }
        if (requested != null) {
            if (versions.stream().noneMatch(v -> v.version().equals(requested))) {
                throw WorkflowNotFoundException.version(workflow, requested);
            }
            return requested;
        }
        List<String> live = versions.stream().filter(RegisteredVersion::live).map(RegisteredVersion::version).toList();
        List<String> candidates = live.isEmpty() ? versions.stream().map(RegisteredVersion::version).toList() : live;
        return VersionOrder.highest(candidates).orElseThrow();
    }

}
