package dev.cairn.orchestrator.execution;

import dev.cairn.api.ErrorInfo;
import dev.cairn.orchestrator.OrchestratorProperties;
import dev.cairn.orchestrator.dispatch.InvocationDispatcher;
import dev.cairn.orchestrator.json.PayloadJson;
import dev.cairn.orchestrator.ledger.Ledger;
import dev.cairn.orchestrator.ledger.NewExecution;
import dev.cairn.orchestrator.ledger.StartClaim;
import dev.cairn.orchestrator.ledger.Started;
import dev.cairn.orchestrator.ledger.StopResult;
import dev.cairn.orchestrator.notify.ClosedExecutions;
import dev.cairn.orchestrator.notify.Wakeups;
import dev.cairn.orchestrator.sql.SqlTypes;
import dev.cairn.orchestrator.worker.LiveWorker;
import dev.cairn.orchestrator.worker.ResolvedVersion;
import dev.cairn.orchestrator.worker.WorkflowCatalog;
import dev.cairn.protocol.ExecutionStatus;
import dev.cairn.protocol.WorkflowRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Starts executions (resolves the version, stores the execution ready for dispatch, handles idempotent names) and
 * stops them.
 */
@Service
public class ExecutionService {

    private static final Logger log = LoggerFactory.getLogger(ExecutionService.class);
    private static final int NAME_ATTEMPTS = 3;

    private final Ledger ledger;
    private final ExecutionStore executions;
    private final WorkflowCatalog catalog;
    private final PayloadJson json;
    private final Wakeups wakeups;
    private final ClosedExecutions closed;
    private final InvocationDispatcher dispatcher;
    private final Duration leaseDuration;
    private final Clock clock;

    public ExecutionService(Ledger ledger, ExecutionStore executions, WorkflowCatalog catalog, PayloadJson json,
            Wakeups wakeups, ClosedExecutions closed, InvocationDispatcher dispatcher, OrchestratorProperties properties,
            Clock clock) {
        this.ledger = ledger;
        this.dispatcher = dispatcher;
        this.leaseDuration = properties.leaseDuration();
        this.executions = executions;
        this.catalog = catalog;
        this.json = json;
        this.wakeups = wakeups;
        this.closed = closed;
        this.clock = clock;
    }

    /**
     * Starts an execution of {@code workflow}, or returns the existing one of the same name and input. When a worker
     * has room the start claims the execution for it and sends the first invocation as soon as its statement
     * returns: call it outside any transaction, so that what the worker is sent has committed.
     *
     * @throws WorkflowNotFoundException when no worker ever registered the workflow (or the requested version)
     * @throws ExecutionNameConflictException when the name is taken by an execution with other input
     */
    public StartResult start(String workflow, StartRequest request) {
        return start(workflow, request, created -> {
        });
    }

    /**
     * {@link #start(String, StartRequest)}, calling {@code beforeDispatch} with a new execution once its start has
     * committed and before its first invocation is sent or a dispatcher is woken for it (not for an existing one
     * answered again): what waits for it to close can be in place before anything runs it.
     */
    public StartResult start(String workflow, StartRequest request, Consumer<ExecutionView> beforeDispatch) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String version = resolveVersion(workflow, request.version());
        String input = request.input() == null ? null : json.write(request.input());
        Instant timeoutAt = request.timeoutSeconds() == null ? null : now.plusSeconds(request.timeoutSeconds());
        NewExecution execution = new NewExecution(UUID.randomUUID(), workflow, version, request.executionName(), input,
                now, timeoutAt, request.retentionDays(), json.object("workflow", workflow, "version", version,
                        "executionName", request.executionName(), "timeoutAt", timeoutAt));
        Optional<LiveWorker> worker = dispatcher.workerWithRoom(new WorkflowRef(workflow, version));
        StartClaim claim = worker.map(w -> new StartClaim(w.workerId(), w.capacity(), now.plus(leaseDuration)))
                .orElse(null);
        for (int attempt = 1; ; attempt++) {
            Started started = ledger.start(execution, claim);
            if (started.inserted()) {
                log.debug("Started execution {} of {} version {}{}", execution.executionId(), workflow, version,
                        started.claim() == null ? "" : " for worker " + claim.workerId());
                ExecutionView created = view(execution);
                try {
                    beforeDispatch.accept(created);
                } finally {
                    // the execution is committed: it is run whatever became of the caller's part
                    if (started.claim() != null) {
                        dispatcher.dispatchStarted(started.claim(), worker.get());
                    } else {
                        wakeups.ready().signal();
                        wakeups.tellReplicas(true, false);
                    }
                }
                return new StartResult(created, true);
            }
            Optional<ExecutionView> existing = executions.findByName(workflow, request.executionName());
            if (existing.isPresent()) {
                if (!Objects.equals(request.input(), json.parse(existing.get().input()))) {
                    throw new ExecutionNameConflictException(workflow, request.executionName(),
                            existing.get().executionId());
                }
                return new StartResult(existing.get(), false);
            }
            // the execution holding the name was removed (retention) between the two statements: the name is free
            if (attempt == NAME_ATTEMPTS) {
                throw new IllegalStateException("execution '" + request.executionName() + "' of " + workflow
                        + " conflicted but cannot be found, " + NAME_ATTEMPTS + " times");
            }
        }
    }

    /**
     * Stops a running execution and its chained descendants. A stop of an execution already STOPPED (a stop sent
     * again) changes nothing and answers it as it is, with no workflow stopped.
     *
     * @param error the error to record on it, or null
     * @return the stopped execution, and the workflows of every execution stopped with it
     * @throws ExecutionNotFoundException when there is no such execution
     * @throws ExecutionClosedException when it has already closed otherwise (SUCCEEDED, FAILED, TIMED_OUT)
     */
    public Stopped stop(String executionId, ErrorInfo error) {
        UUID id = SqlTypes.uuidOrNull(executionId);
        if (id == null) {
            throw new ExecutionNotFoundException(executionId);
        }
        StopResult result = ledger.stop(id, json.error(error), clock.instant().truncatedTo(ChronoUnit.MICROS))
                .orElseThrow(() -> new ExecutionNotFoundException(executionId));
        ExecutionStatus before = ExecutionStatus.valueOf(result.before());
        if (before == ExecutionStatus.STOPPED) {
            return new Stopped(executions.find(id).orElseThrow(() -> new ExecutionNotFoundException(executionId)),
                    List.of());
        }
        if (before != ExecutionStatus.RUNNING) {
            throw new ExecutionClosedException(executionId, before);
        }
        log.info("Stopped execution {} ({} executions with its chained descendants)", executionId,
                result.stoppedWorkflows().size());
        wakeups.ready().signal();
        wakeups.tellReplicas(result.parentWoken(), false);
        closed.announce(result.stoppedIds());
        return new Stopped(executions.find(id).orElseThrow(() -> new ExecutionNotFoundException(executionId)),
                result.stoppedWorkflows());
    }

    /**
     * A stop's outcome.
     *
     * @param execution the stopped execution
     * @param workflows the workflow of each execution stopped (it and its running chained descendants)
     */
    public record Stopped(ExecutionView execution, List<String> workflows) {
    }

    /** How the REST API shows an execution right after its start. */
    private static ExecutionView view(NewExecution e) {
        return new ExecutionView(e.executionId(), e.executionName(), e.workflow(), e.version(), ExecutionStatus.RUNNING,
                e.input(), null, null, e.startedAt(), null, e.timeoutAt(), null);
    }

    private String resolveVersion(String workflow, String requested) {
        ResolvedVersion resolved = catalog.resolve(workflow, requested);
        if (!resolved.found()) {
            throw resolved.workflowKnown() ? WorkflowNotFoundException.version(workflow, requested)
                    : WorkflowNotFoundException.workflow(workflow);
        }
        return resolved.version();
    }

}
