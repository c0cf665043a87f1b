package dev.cairn.testing;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.Cause;
import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.ExecutionCause;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.TimerKind;
import dev.cairn.worker.replay.InvocationFencedException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The orchestrator's recording rules in memory: operations, history events, timers, callbacks, chained invokes,
 * cancellation, fencing and lease expiry. What each update, timer, callback request and child close makes of an
 * operation or an execution is read from the worker protocol's {@link dev.cairn.protocol.Lifecycle}, the table the
 * orchestrator's PostgreSQL statements and the worker-protocol README follow too; updates of one request are folded
 * per operation ({@link UpdatePlanner}) and written only forward ({@link InMemoryLedger}), a null field keeps what
 * is stored, cancelled and stopped operations stay so, a replayed START never reopens a closed callback or chained
 * invoke. Thread-safe (every method is synchronized); time comes from the given clock.
 */
public final class InMemoryDurableStore implements DurableStore {

    /** The error type of a chained invoke whose workflow was never registered (as the orchestrator's). */
    public static final String WORKFLOW_NOT_FOUND = "dev.cairn.orchestrator.execution.WorkflowNotFoundException";

    private final Clock clock;
    private final WorkflowRegistry workflows = new WorkflowRegistry();
    private final InMemoryLedger ledger = new InMemoryLedger();

    public InMemoryDurableStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Makes a workflow version known, as a worker's registration does. */
    public synchronized void registerWorkflow(String workflow, String version) {
        workflows.register(workflow, version);
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public synchronized String start(String workflow, String input) {
        return start(workflow, null, input, null);
    }

    /**
     * Starts an execution of {@code workflow} at {@code version} (null: the highest registered) with an optional
     * execution timeout.
     */
    public synchronized String start(String workflow, String version, String input, Duration timeout) {
        String resolved = workflows.resolve(workflow, version);
        if (resolved == null) {
            throw new IllegalArgumentException("unknown workflow " + workflow + (version == null ? "" : " version "
                    + version));
        }
        String id = UUID.randomUUID().toString();
        Instant now = now();
        ledger.start(id, workflow, resolved, input, timeout == null ? null : now.plus(timeout), null, null, now);
        return id;
    }

    @Override
    public synchronized Optional<Invocation> nextInvocation(String executionId) {
        StoredExecution e = ledger.executions().get(executionId);
        if (e == null || !e.isRunning() || !e.ready || e.token != null) {
            return Optional.empty();
        }
        e.ready = false;
        e.token = UUID.randomUUID().toString();
        e.invocationStartedAt = now();
        return Optional.of(new Invocation(e.id, e.token, e.workflow, e.version, e.input,
                List.copyOf(e.operations.values()), e.startedAt));
    }

    /** Executions that are ready for an invocation, oldest first. */
    public synchronized List<String> readyExecutions() {
        return ledger.executions().values().stream()
                .filter(e -> e.isRunning() && e.ready && e.token == null)
                .map(e -> e.id)
                .toList();
    }

    /** Every execution, in start order (a root and the chained children it started). */
    public synchronized List<ExecutionRecord> executions() {
        return ledger.executions().values().stream().map(StoredExecution::record).toList();
    }

    /**
     * The running invocation's lease expired (the worker died or was fenced): its token no longer works,
     * {@code InvocationCompleted {outcome: LOST}} is recorded and the execution is ready again.
     */
    public synchronized void expireLease(String executionId) {
        StoredExecution e = require(executionId);
        if (e.token == null || !e.isRunning()) {
            return;
        }
        Instant now = now();
        Map<String, Object> invocation = e.invocationDetails(now, "LOST");
        e.token = null;
        ledger.execution(e, ExecutionCause.LEASE_EXPIRED, null, null, invocation, now);
    }

    @Override
    public synchronized void checkpoint(CheckpointRequest request) {
        Instant now = now();
        // an invalid request is refused before its token is looked at, as the orchestrator refuses it (400, not 409)
        UpdatePlan plan = UpdatePlanner.plan(request.executionId(), request.updates(), now, workflows);
        StoredExecution e = fenced(request.executionId(), request.invocationToken());
        ledger.apply(e, plan, now);
    }

    @Override
    public synchronized void complete(CompletionRequest request) {
        // an invalid request is refused before its token is looked at, as the orchestrator refuses it (400, not 409)
        if (request.outcome() == null) {
            throw new IllegalArgumentException("outcome is required");
        }
        if (request.outcome() == InvocationOutcome.FAILED && request.error() == null) {
            throw new IllegalArgumentException("error is required when the outcome is FAILED");
        }
        Instant now = now();
        UpdatePlan plan = UpdatePlanner.plan(request.executionId(), request.updates(), now, workflows);
        if (RepeatedRequests.isLastCompletion(ledger.executions().get(request.executionId()), request)) {
            return; // its answer was lost: answered as it was, writing nothing
        }
        StoredExecution e = fenced(request.executionId(), request.invocationToken());
        ledger.apply(e, plan, now);
        Map<String, Object> invocation = e.invocationDetails(request.endedAt() != null ? request.endedAt() : now,
                request.outcome().name());
        if (request.startedAt() != null) {
            invocation.put("startedAt", request.startedAt().toString());
        }
        e.completedToken = e.token;
        e.token = null;
        switch (request.outcome()) {
            case SUCCEEDED -> ledger.execution(e, ExecutionCause.INVOCATION_SUCCEEDED, request.result(), null,
                    invocation, now);
            case FAILED -> ledger.execution(e, ExecutionCause.INVOCATION_FAILED, null, request.error(), invocation,
                    now);
            // stays RUNNING; ready only if something made it ready meanwhile
            case PENDING -> ledger.execution(e, ExecutionCause.INVOCATION_PENDING, null, null, invocation, now);
        }
    }

    @Override
    public synchronized int fireDueTimers(Instant now) {
        List<Timer> due = new ArrayList<>();
        for (StoredExecution e : ledger.executions().values()) {
            e.timers.values().stream().filter(t -> !t.dueAt.isAfter(now)).forEach(due::add);
        }
        due.sort(Comparator.comparing((Timer t) -> t.dueAt));
        int fired = 0;
        for (Timer t : due) {
            StoredExecution e = ledger.executions().get(t.executionId);
            if (e.timers.remove(t.id) == null) {
                continue; // removed by an earlier timer of this pass
            }
            fired++;
            if (e.isRunning()) {
                ledger.fire(e, t, now);
            }
        }
        return fired;
    }

    /** When the earliest timer of a running execution is due, or null when there is none. */
    public synchronized Timer nextTimer() {
        return ledger.executions().values().stream()
                .filter(StoredExecution::isRunning)
                .flatMap(e -> e.timers.values().stream())
                .min(Comparator.comparing((Timer t) -> t.dueAt))
                .orElse(null);
    }

    @Override
    public synchronized void completeCallback(String callbackId, String result) {
        if (repeatsCallbackCompletion(callbackId, OperationStatus.SUCCEEDED, result, null)) {
            return;
        }
        Located found = openCallback(callbackId);
        ledger.operation(found.execution, found.operation, Cause.CALLBACK_SUCCEEDED, result, null, null, now());
    }

    @Override
    public synchronized void failCallback(String callbackId, ErrorInfo error) {
        if (repeatsCallbackCompletion(callbackId, OperationStatus.FAILED, null, error)) {
            return;
        }
        Located found = openCallback(callbackId);
        ledger.operation(found.execution, found.operation, Cause.CALLBACK_FAILED, null, error,
                EventDetails.of("error", EventDetails.error(error)), now());
    }

    /** The callback's timeout (or heartbeat timeout) passed: it ends TIMED_OUT, as when its timer fires. */
    public synchronized void timeOutCallback(String callbackId) {
        Located found = openCallback(callbackId);
        ledger.operation(found.execution, found.operation, Cause.timerDue(TimerKind.CALLBACK_TIMEOUT), null, null,
                EventDetails.of("reason", TimerKind.CALLBACK_TIMEOUT.callbackTimeoutReason()), now());
    }

    @Override
    public synchronized void heartbeatCallback(String callbackId) {
        Located found = openCallback(callbackId);
        Duration heartbeat = found.execution.heartbeats.get(found.operation.id());
        String timerId = TimerKind.CALLBACK_HEARTBEAT.timerId(found.operation.id());
        Timer timer = found.execution.timers.get(timerId);
        if (heartbeat != null && timer != null) {
            found.execution.timers.put(timerId, new Timer(found.execution.id, timerId, timer.kind,
                    now().plus(heartbeat), timer.operationId));
        }
    }

    @Override
    public synchronized ExecutionRecord stop(String executionId) {
        StoredExecution root = require(executionId);
        if (root.status == dev.cairn.protocol.ExecutionStatus.STOPPED) {
            return root.record();
        }
        if (!root.isRunning()) {
            throw new ExecutionClosedException(executionId, ExecutionStatus.of(root.status));
        }
        Instant now = now();
        // the execution, then its running chained descendants level by level: each closes before its children, so
        // only the stopped execution's own parent learns of the stop
        List<StoredExecution> tree = new ArrayList<>(List.of(root));
        for (int i = 0; i < tree.size(); i++) {
            String parentId = tree.get(i).id;
            ledger.executions().values().stream()
                    .filter(c -> parentId.equals(c.parentExecutionId) && c.isRunning())
                    .forEach(tree::add);
        }
        for (StoredExecution e : tree) {
            ledger.stop(e, e == root ? ExecutionCause.STOPPED : ExecutionCause.ANCESTOR_STOPPED,
                    e == root ? null : root.id, now);
        }
        return root.record();
    }

    @Override
    public synchronized Optional<ExecutionRecord> execution(String executionId) {
        StoredExecution e = ledger.executions().get(executionId);
        return e == null ? Optional.empty() : Optional.of(e.record());
    }

    @Override
    public synchronized List<OperationRecord> operations(String executionId) {
        return List.copyOf(require(executionId).operations.values());
    }

    @Override
    public synchronized List<HistoryEvent> history(String executionId) {
        return List.copyOf(require(executionId).history);
    }

    /** Fault injection: replaces a recorded operation (null removes it), as if the store had lost or changed it. */
    public synchronized void replaceOperation(String executionId, String operationId, OperationRecord replacement) {
        StoredExecution e = require(executionId);
        if (replacement == null) {
            e.operations.remove(operationId);
        } else {
            e.operations.put(operationId, replacement);
        }
    }

    /** The child execution id of a chained invoke, derived as the orchestrator derives it. */
    public static String childId(String parentExecutionId, String operationId) {
        return UUID.nameUUIDFromBytes(("cairn-chained-invoke:" + parentExecutionId + ":" + operationId)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    private record Located(StoredExecution execution, OperationRecord operation) {
    }

    /** Whether this callback completion repeats the one that closed the callback. */
    private boolean repeatsCallbackCompletion(String callbackId, OperationStatus status, String result,
            ErrorInfo error) {
        if (callbackId != null) {
            for (StoredExecution e : ledger.executions().values()) {
                for (OperationRecord op : e.operations.values()) {
                    if (callbackId.equals(op.callbackId())) {
                        return RepeatedRequests.closedCallbackWith(op, status, result, error);
                    }
                }
            }
        }
        return false;
    }

    /**
     * The STARTED callback of a RUNNING execution with this id.
     *
     * @throws UnknownCallbackException when no callback has this id
     * @throws CallbackClosedException when it or its execution is closed
     */
    private Located openCallback(String callbackId) {
        Located found = null;
        if (callbackId != null) {
            for (StoredExecution e : ledger.executions().values()) {
                for (OperationRecord op : e.operations.values()) {
                    if (found == null && callbackId.equals(op.callbackId())) {
                        found = new Located(e, op);
                    }
                }
            }
        }
        if (found == null) {
            throw new UnknownCallbackException(callbackId);
        }
        if (!found.execution.isRunning()) {
            throw new CallbackClosedException(callbackId, "the callback's execution is "
                    + ExecutionStatus.of(found.execution.status));
        }
        if (found.operation.status() != OperationStatus.STARTED) {
            throw new CallbackClosedException(callbackId, "the callback is " + found.operation.status());
        }
        return found;
    }

    private StoredExecution fenced(String executionId, String token) {
        StoredExecution e = executionId == null ? null : ledger.executions().get(executionId);
        if (e == null || token == null || !token.equals(e.token) || !e.isRunning()) {
            throw new InvocationFencedException(executionId, "409 the invocation token of execution " + executionId
                    + " is not current");
        }
        return e;
    }

    private StoredExecution require(String executionId) {
        StoredExecution e = ledger.executions().get(executionId);
        if (e == null) {
            throw new IllegalArgumentException("unknown execution " + executionId);
        }
        return e;
    }

    /** A timer: what fires when. */
    public record Timer(String executionId, String id, TimerKind kind, Instant dueAt, String operationId) {
    }
}
