package dev.cairn.testing;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationOptions;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.OperationUpdate;
import dev.cairn.worker.replay.InvocationFencedException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * The orchestrator's recording rules in memory: operations, history events, timers, callbacks, chained invokes,
 * cancellation, fencing and lease expiry, exactly as the worker-protocol README states them and the orchestrator's
 * PostgreSQL statements apply them (updates of one request folded per operation, a null field keeps what is
 * stored, cancelled and stopped operations stay so, a replayed START never reopens a closed callback or chained
 * invoke). Thread-safe (every method is synchronized); time comes from the given clock.
 */
public final class InMemoryDurableStore implements DurableStore {

    /** The error type of a chained invoke whose workflow was never registered (as the orchestrator's). */
    public static final String WORKFLOW_NOT_FOUND = "dev.cairn.orchestrator.execution.WorkflowNotFoundException";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Clock clock;
    private final Map<String, List<String>> workflows = new LinkedHashMap<>();
    private final Map<String, Execution> executions = new LinkedHashMap<>();

    public InMemoryDurableStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Makes a workflow version known, as a worker's registration does. */
    public synchronized void registerWorkflow(String workflow, String version) {
        List<String> versions = workflows.computeIfAbsent(workflow, w -> new ArrayList<>());
        if (!versions.contains(version)) {
            versions.add(version);
        }
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
        String resolved = resolve(workflow, version);
        if (resolved == null) {
            throw new IllegalArgumentException("unknown workflow " + workflow + (version == null ? "" : " version "
                    + version));
        }
        String id = UUID.randomUUID().toString();
        create(id, workflow, resolved, input, timeout == null ? null : now().plus(timeout), null, null);
        return id;
    }

    @Override
    public synchronized Optional<Invocation> nextInvocation(String executionId) {
        Execution e = executions.get(executionId);
        if (e == null || e.status != ExecutionStatus.RUNNING || !e.ready || e.token != null) {
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
        return executions.values().stream()
                .filter(e -> e.status == ExecutionStatus.RUNNING && e.ready && e.token == null)
                .map(e -> e.id)
                .toList();
    }

    /** Every execution, in start order (a root and the chained children it started). */
    public synchronized List<ExecutionRecord> executions() {
        return executions.values().stream().map(Execution::record).toList();
    }

    /**
     * The running invocation's lease expired (the worker died or was fenced): its token no longer works,
     * {@code InvocationCompleted {outcome: LOST}} is recorded and the execution is ready again.
     */
    public synchronized void expireLease(String executionId) {
        Execution e = require(executionId);
        if (e.token == null || e.status != ExecutionStatus.RUNNING) {
            return;
        }
        e.event("InvocationCompleted", null, null, invocationDetails(e, now(), "LOST"), now());
        e.token = null;
        e.ready = true;
    }

    @Override
    public synchronized void checkpoint(CheckpointRequest request) {
        Execution e = fenced(request.executionId(), request.invocationToken());
        apply(e, plan(e, request.updates()), now());
    }

    @Override
    public synchronized void complete(CompletionRequest request) {
        if (repeatsLastCompletion(request)) {
            return; // its answer was lost: answered as it was, writing nothing
        }
        Execution e = fenced(request.executionId(), request.invocationToken());
        if (request.outcome() == null) {
            throw new IllegalArgumentException("outcome is required");
        }
        if (request.outcome() == InvocationOutcome.FAILED && request.error() == null) {
            throw new IllegalArgumentException("error is required when the outcome is FAILED");
        }
        Instant now = now();
        apply(e, plan(e, request.updates()), now);
        Instant endedAt = request.endedAt() != null ? request.endedAt() : now;
        Map<String, Object> details = invocationDetails(e, endedAt, request.outcome().name());
        if (request.startedAt() != null) {
            details.put("startedAt", request.startedAt().toString());
        }
        e.event("InvocationCompleted", null, null, details, now);
        e.completedToken = e.token;
        e.token = null;
        switch (request.outcome()) {
            case SUCCEEDED -> close(e, ExecutionStatus.SUCCEEDED, request.result(), null, now);
            case FAILED -> close(e, ExecutionStatus.FAILED, null, request.error(), now);
            case PENDING -> {
                // stays RUNNING; ready only if something made it ready meanwhile
            }
        }
    }

    /**
     * Whether {@code request} is the completion that closed the execution's last completed invocation, sent again:
     * its token, and the status, result and error it left, which nothing has changed since.
     */
    private boolean repeatsLastCompletion(CompletionRequest request) {
        Execution e = request.executionId() == null ? null : executions.get(request.executionId());
        if (e == null || e.completedToken == null || !e.completedToken.equals(request.invocationToken())
                || request.outcome() == null) {
            return false;
        }
        ExecutionStatus left = switch (request.outcome()) {
            case SUCCEEDED -> ExecutionStatus.SUCCEEDED;
            case FAILED -> ExecutionStatus.FAILED;
            case PENDING -> ExecutionStatus.RUNNING;
        };
        return e.status == left && Objects.equals(e.result, request.result())
                && Objects.equals(e.error, request.error());
    }

    @Override
    public synchronized int fireDueTimers(Instant now) {
        List<Timer> due = new ArrayList<>();
        for (Execution e : executions.values()) {
            e.timers.values().stream().filter(t -> !t.dueAt.isAfter(now)).forEach(due::add);
        }
        due.sort(Comparator.comparing((Timer t) -> t.dueAt));
        int fired = 0;
        for (Timer t : due) {
            Execution e = executions.get(t.executionId);
            if (e.timers.remove(t.id) == null) {
                continue; // removed by an earlier timer of this pass
            }
            fired++;
            if (e.status != ExecutionStatus.RUNNING) {
                continue;
            }
            fire(e, t, now);
        }
        return fired;
    }

    /** When the earliest timer of a running execution is due, or null when there is none. */
    public synchronized Timer nextTimer() {
        return executions.values().stream()
                .filter(e -> e.status == ExecutionStatus.RUNNING)
                .flatMap(e -> e.timers.values().stream())
                .min(Comparator.comparing((Timer t) -> t.dueAt))
                .orElse(null);
    }

    @Override
    public synchronized void completeCallback(String callbackId, String result) {
        closeCallback(callbackId, OperationStatus.SUCCEEDED, result, null, "CallbackSucceeded", null);
    }

    @Override
    public synchronized void failCallback(String callbackId, ErrorInfo error) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("error", errorMap(error));
        closeCallback(callbackId, OperationStatus.FAILED, null, error, "CallbackFailed", details);
    }

    /** The callback's timeout (or heartbeat timeout) passed: it ends TIMED_OUT, as when its timer fires. */
    public synchronized void timeOutCallback(String callbackId) {
        Located found = callback(callbackId);
        check(found);
        timeOut(found.execution, found.operation.id(), "TIMEOUT", now());
    }

    @Override
    public synchronized void heartbeatCallback(String callbackId) {
        Located found = callback(callbackId);
        check(found);
        Duration heartbeat = found.execution.heartbeats.get(found.operation.id());
        String timerId = found.operation.id() + "#heartbeat";
        Timer timer = found.execution.timers.get(timerId);
        if (heartbeat != null && timer != null) {
            found.execution.timers.put(timerId, new Timer(found.execution.id, timerId, timer.kind,
                    now().plus(heartbeat), timer.operationId));
        }
    }

    @Override
    public synchronized ExecutionRecord stop(String executionId) {
        Execution root = require(executionId);
        if (root.status == ExecutionStatus.STOPPED) {
            return root.record();
        }
        if (root.status != ExecutionStatus.RUNNING) {
            throw new ExecutionClosedException(executionId, root.status);
        }
        Instant now = now();
        // the execution, then its running chained descendants level by level (parents close before their children,
        // so only the stopped execution's own parent learns of the stop)
        List<Execution> tree = new ArrayList<>(List.of(root));
        for (int i = 0; i < tree.size(); i++) {
            String parentId = tree.get(i).id;
            executions.values().stream()
                    .filter(c -> parentId.equals(c.parentExecutionId) && c.status == ExecutionStatus.RUNNING)
                    .forEach(tree::add);
        }
        for (Execution e : tree) {
            for (OperationRecord op : List.copyOf(e.operations.values())) {
                if (op.status().isClosed()) {
                    continue;
                }
                boolean cancelled = op.type() == OperationType.WAIT || op.type() == OperationType.CALLBACK;
                e.operations.put(op.id(), with(op, cancelled ? OperationStatus.CANCELLED : OperationStatus.STOPPED,
                        now));
                if (op.type() == OperationType.WAIT) {
                    e.event("WaitCancelled", op.id(), op.name(), null, now);
                } else if (op.type() == OperationType.CHAINED_INVOKE) {
                    e.event("ChainedInvokeStopped", op.id(), op.name(),
                            details("childExecutionId", op.childExecutionId()), now);
                }
            }
            // as for every end of an execution, the event that says how it ended comes last
            e.event("ExecutionStopped", null, null, e == root ? null : details("stoppedWith", root.id), now);
            close(e, ExecutionStatus.STOPPED, null, null, now);
        }
        return root.record();
    }

    @Override
    public synchronized Optional<ExecutionRecord> execution(String executionId) {
        Execution e = executions.get(executionId);
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
        Execution e = require(executionId);
        if (replacement == null) {
            e.operations.remove(operationId);
        } else {
            e.operations.put(operationId, replacement);
        }
    }

    // ---------------------------------------------------------------- planning (mirrors CheckpointPlan)

    private record Plan(Map<String, OperationRecord> rows, List<Object[]> events, Map<String, Timer> timers,
            List<String> cancelled, List<String[]> children, Map<String, Duration> heartbeats, boolean wakesNow) {
    }

    private Plan plan(Execution e, List<OperationUpdate> updates) {
        Instant now = now();
        Map<String, OperationRecord> rows = new LinkedHashMap<>();
        List<Object[]> events = new ArrayList<>();
        Map<String, Timer> timers = new LinkedHashMap<>();
        Map<String, OperationAction> lastAction = new HashMap<>();
        List<String> cancelled = new ArrayList<>();
        List<String[]> children = new ArrayList<>();
        Map<String, Duration> heartbeats = new HashMap<>();
        boolean wakesNow = false;
        for (OperationUpdate u : updates) {
            validate(u);
            OperationType type = u.type();
            boolean step = type == OperationType.STEP;
            boolean condition = step && "WaitForCondition".equals(u.subType());
            boolean pollStarted = condition && lastAction.get(u.id()) != OperationAction.START;
            Integer attempt = step ? (u.attempt() == null ? 1 : u.attempt()) : null;
            OperationRecord row;
            switch (u.action()) {
                case START -> {
                    switch (type) {
                        case CALLBACK -> {
                            OperationOptions o = u.options();
                            row = row(u, OperationStatus.STARTED, null, null, null, null, null, null, o.callbackId(),
                                    null);
                            Map<String, Object> d = details("callbackId", o.callbackId(), "timeout",
                                    text(o.timeout()), "heartbeatTimeout", text(o.heartbeatTimeout()));
                            events.add(event("CallbackStarted", u, d));
                            if (o.timeout() != null) {
                                String id = u.id() + "#timeout";
                                timers.put(id, new Timer(e.id, id, TimerKind.CALLBACK_TIMEOUT,
                                        now.plus(o.timeout()), u.id()));
                            }
                            if (o.heartbeatTimeout() != null) {
                                String id = u.id() + "#heartbeat";
                                timers.put(id, new Timer(e.id, id, TimerKind.CALLBACK_HEARTBEAT,
                                        now.plus(o.heartbeatTimeout()), u.id()));
                                heartbeats.put(u.id(), o.heartbeatTimeout());
                            }
                        }
                        case CHAINED_INVOKE -> {
                            OperationOptions o = u.options();
                            String version = resolve(o.workflow(), o.version());
                            if (version != null) {
                                String child = childId(e.id, u.id());
                                row = row(u, OperationStatus.STARTED, null, null, null, null, null, null, null,
                                        child);
                                events.add(event("ChainedInvokeStarted", u, details("childExecutionId", child,
                                        "workflow", o.workflow(), "version", version)));
                                children.add(new String[] {child, o.workflow(), version, u.payload(),
                                        o.timeout() == null ? null : now.plus(o.timeout()).toString(), u.id()});
                            } else {
                                ErrorInfo failure = new ErrorInfo(WORKFLOW_NOT_FOUND, "cannot invoke: "
                                        + notRegistered(o.workflow(), o.version()), null);
                                row = row(u, OperationStatus.FAILED, null, now, null, failure, null, null, null,
                                        null);
                                events.add(event("ChainedInvokeStarted", u, details("workflow", o.workflow(),
                                        "version", o.version())));
                                events.add(event("ChainedInvokeFailed", u, details("error", errorMap(failure))));
                                wakesNow = true;
                            }
                        }
                        default -> {
                            boolean wait = type == OperationType.WAIT;
                            row = row(u, OperationStatus.STARTED, attempt, null, null, null,
                                    wait ? u.scheduledEndAt() : null, null, null, null);
                            events.add(event(type.event("Started"), u, step ? details("attempt", attempt)
                                    : wait ? details("scheduledEndAt", text(u.scheduledEndAt())) : null));
                            if (wait) {
                                timers.put(u.id(), new Timer(e.id, u.id(), TimerKind.WAIT, u.scheduledEndAt(), u.id()));
                            }
                        }
                    }
                }
                case SUCCEED -> {
                    row = row(u, OperationStatus.SUCCEEDED, attempt, now, u.payload(), null, null, null, null, null);
                    if (pollStarted) {
                        events.add(event("StepStarted", u, details("attempt", attempt)));
                    }
                    events.add(event(type.event("Succeeded"), u, !step ? null
                            : condition ? details("attempt", attempt, "state", parse(u.payload()))
                            : details("attempt", attempt)));
                    if (type == OperationType.WAIT) {
                        timers.put(u.id(), null);
                    }
                }
                case FAIL -> {
                    row = row(u, OperationStatus.FAILED, attempt, now, null, u.error(), null, null, null, null);
                    if (pollStarted) {
                        events.add(event("StepStarted", u, details("attempt", attempt)));
                    }
                    events.add(event(type.event("Failed"), u, details("attempt", attempt, "error",
                            errorMap(u.error()), "state", condition ? parse(u.payload()) : null)));
                    if (type == OperationType.WAIT) {
                        timers.put(u.id(), null);
                    }
                }
                case RETRY -> {
                    row = row(u, OperationStatus.PENDING, attempt, null, null, u.error(), null, u.nextAttemptAt(),
                            null, null);
                    if (pollStarted) {
                        events.add(event("StepStarted", u, details("attempt", attempt)));
                    }
                    events.add(event(type.event("Failed"), u, details("attempt", attempt, "error",
                            errorMap(u.error()), "nextAttemptAt", text(u.nextAttemptAt()))));
                    timers.put(u.id(), new Timer(e.id, u.id(), TimerKind.RETRY, u.nextAttemptAt(), u.id()));
                }
                case CONTINUE -> {
                    row = row(u, OperationStatus.PENDING, attempt, null, u.payload(), null, null, u.nextAttemptAt(),
                            null, null);
                    if (lastAction.get(u.id()) != OperationAction.START) {
                        events.add(event("StepStarted", u, details("attempt", attempt)));
                    }
                    events.add(event("StepSucceeded", u, details("attempt", attempt, "state", parse(u.payload()),
                            "nextAttemptAt", text(u.nextAttemptAt()))));
                    timers.put(u.id(), new Timer(e.id, u.id(), TimerKind.RETRY, u.nextAttemptAt(), u.id()));
                }
                case CANCEL -> {
                    row = row(u, OperationStatus.CANCELLED, null, now, null, null, null, null, null, null);
                    String prefix = u.id() + "-";
                    rows.replaceAll((id, r) -> id.startsWith(prefix) && !r.status().isClosed()
                            ? with(r, OperationStatus.CANCELLED, now) : r);
                    timers.replaceAll((id, t) -> t != null && (t.isOf(u.id()) || t.isInside(u.id())) ? null : t);
                    cancelled.add(u.id());
                }
                default -> throw new IllegalStateException("unknown action " + u.action());
            }
            rows.merge(u.id(), row, InMemoryDurableStore::overlay);
            lastAction.put(u.id(), u.action());
        }
        return new Plan(rows, events, timers, cancelled, children, heartbeats, wakesNow);
    }

    private void apply(Execution e, Plan plan, Instant now) {
        // only forward: what belongs to an operation (events, timers, child) is written only when it moved
        Set<String> moved = new HashSet<>();
        plan.rows.forEach((id, row) -> {
            OperationRecord stored = e.operations.get(id);
            if (stored == null) {
                // a new operation starts when the worker says its body began, never later than now
                Instant began = row.startedAt();
                e.operations.put(id, withStartedAt(row, began != null && began.isBefore(now) ? began : now));
                moved.add(id);
            } else if (stored.status().movesTo(row.status(), attempt(stored.attempt(), null),
                    attempt(row.attempt(), stored.attempt()))) {
                e.operations.put(id, overlay(stored, row));
                moved.add(id);
            }
        });
        for (String cancelledId : plan.cancelled) {
            String prefix = cancelledId + "-";
            e.operations.replaceAll((id, op) -> id.startsWith(prefix) && !op.status().isClosed()
                    && !plan.rows.containsKey(id) ? with(op, OperationStatus.CANCELLED, now) : op);
        }
        for (Object[] ev : plan.events) {
            if (ev[1] != null && !moved.contains((String) ev[1])) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> details = (Map<String, Object>) ev[3];
            e.event((String) ev[0], (String) ev[1], (String) ev[2], details, now);
        }
        e.heartbeats.putAll(plan.heartbeats);
        plan.timers.forEach((id, timer) -> {
            if (timer == null) {
                e.timers.remove(id);
            } else if (moved.contains(timer.operationId)) {
                e.timers.put(id, timer);
            }
        });
        for (String cancelledId : plan.cancelled) {
            e.timers.values().removeIf(t -> !plan.timers.containsKey(t.id) && (t.isOf(cancelledId)
                    || t.isInside(cancelledId)));
        }
        for (String[] c : plan.children) {
            if (moved.contains(c[5]) && !executions.containsKey(c[0])) {
                create(c[0], c[1], c[2], c[3], c[4] == null ? null : Instant.parse(c[4]), e.id, c[5]);
            }
        }
        if (plan.wakesNow) {
            e.ready = true;
        }
    }

    // ---------------------------------------------------------------- timers, callbacks, children

    private void fire(Execution e, Timer t, Instant now) {
        switch (t.kind) {
            case WAIT -> {
                e.ready = true;
                OperationRecord op = e.operations.get(t.operationId);
                if (op != null && op.status() == OperationStatus.STARTED) {
                    e.operations.put(op.id(), with(op, OperationStatus.SUCCEEDED, now));
                    e.event("WaitSucceeded", op.id(), op.name(), null, now);
                }
            }
            case RETRY -> {
                e.ready = true;
                OperationRecord op = e.operations.get(t.operationId);
                if (op != null && op.status() == OperationStatus.PENDING) {
                    e.operations.put(op.id(), withStatus(op, OperationStatus.READY));
                }
            }
            case CALLBACK_TIMEOUT, CALLBACK_HEARTBEAT -> {
                e.ready = true;
                timeOut(e, t.operationId, t.kind == TimerKind.CALLBACK_TIMEOUT ? "TIMEOUT" : "HEARTBEAT_TIMEOUT",
                        now);
            }
            case EXECUTION_TIMEOUT -> {
                e.event("ExecutionTimedOut", null, null, details("timeoutAt", text(e.timeoutAt)), now);
                close(e, ExecutionStatus.TIMED_OUT, null, null, now);
            }
        }
    }

    private void timeOut(Execution e, String operationId, String reason, Instant now) {
        OperationRecord op = e.operations.get(operationId);
        if (op == null || op.type() != OperationType.CALLBACK || op.status() != OperationStatus.STARTED) {
            return;
        }
        e.operations.put(op.id(), with(op, OperationStatus.TIMED_OUT, now));
        e.event("CallbackTimedOut", op.id(), op.name(), details("reason", reason), now);
        e.timers.values().removeIf(x -> x.isOf(operationId)
                && (x.kind == TimerKind.CALLBACK_TIMEOUT || x.kind == TimerKind.CALLBACK_HEARTBEAT));
        e.ready = true;
    }

    private void closeCallback(String callbackId, OperationStatus status, String result, ErrorInfo error,
            String eventType, Map<String, Object> details) {
        Located found = callback(callbackId);
        if (repeats(found.operation, status, result, error)) {
            return; // the completion that closed it, sent again: answered as the first, whatever happened since
        }
        check(found);
        Instant now = now();
        OperationRecord op = found.operation;
        OperationRecord closed = new OperationRecord(op.id(), op.parentId(), op.type(), op.subType(), op.name(),
                status, op.attempt(), op.startedAt(), now, result != null ? result : op.result(),
                error != null ? error : op.error(), op.scheduledEndAt(), op.nextAttemptAt(), op.callbackId(),
                op.childExecutionId());
        found.execution.operations.put(op.id(), closed);
        found.execution.event(eventType, op.id(), op.name(), details, now);
        found.execution.timers.values().removeIf(t -> t.isOf(op.id()));
        found.execution.ready = true;
    }

    /** Whether a callback completion repeats the one that closed it: the same status, a JSON-equal result or error. */
    private static boolean repeats(OperationRecord op, OperationStatus status, String result, ErrorInfo error) {
        return op.status() == status && sameJson(result, op.result()) && sameError(error, op.error());
    }

    private static boolean sameError(ErrorInfo a, ErrorInfo b) {
        return a == null || b == null ? a == b
                : a.type().equals(b.type()) && Objects.equals(a.message(), b.message()) && sameJson(a.data(), b.data());
    }

    private static boolean sameJson(String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        try {
            return JSON.readTree(a).equals(JSON.readTree(b));
        } catch (RuntimeException e) {
            return a.equals(b);
        }
    }

    private record Located(Execution execution, OperationRecord operation) {
    }

    private Located callback(String callbackId) {
        if (callbackId != null) {
            for (Execution e : executions.values()) {
                for (OperationRecord op : e.operations.values()) {
                    if (callbackId.equals(op.callbackId())) {
                        return new Located(e, op);
                    }
                }
            }
        }
        throw new UnknownCallbackException(callbackId);
    }

    private static void check(Located found) {
        if (found.execution.status != ExecutionStatus.RUNNING) {
            throw new CallbackClosedException(found.operation.callbackId(), "the callback's execution is "
                    + found.execution.status);
        }
        if (found.operation.status() != OperationStatus.STARTED) {
            throw new CallbackClosedException(found.operation.callbackId(), "the callback is "
                    + found.operation.status());
        }
    }

    private void close(Execution e, ExecutionStatus status, String result, ErrorInfo error, Instant now) {
        e.status = status;
        e.result = result;
        e.error = error;
        e.endedAt = now;
        e.ready = false;
        e.token = null;
        e.timers.clear();
        switch (status) {
            case SUCCEEDED -> e.event("ExecutionSucceeded", null, null, null, now);
            case FAILED -> e.event("ExecutionFailed", null, null, details("error", errorMap(error)), now);
            default -> {
            }
        }
        if (e.parentExecutionId == null) {
            return;
        }
        Execution parent = executions.get(e.parentExecutionId);
        OperationRecord op = parent == null ? null : parent.operations.get(e.parentOperationId);
        if (parent == null || parent.status != ExecutionStatus.RUNNING || op == null
                || op.type() != OperationType.CHAINED_INVOKE || op.status() != OperationStatus.STARTED) {
            return;
        }
        OperationStatus opStatus = OperationStatus.valueOf(status.name());
        parent.operations.put(op.id(), new OperationRecord(op.id(), op.parentId(), op.type(), op.subType(),
                op.name(), opStatus, op.attempt(), op.startedAt(), now,
                status == ExecutionStatus.SUCCEEDED ? result : op.result(),
                status == ExecutionStatus.FAILED ? error : op.error(), op.scheduledEndAt(), op.nextAttemptAt(),
                op.callbackId(), op.childExecutionId()));
        String verb = switch (status) {
            case SUCCEEDED -> "Succeeded";
            case FAILED -> "Failed";
            case TIMED_OUT -> "TimedOut";
            default -> "Stopped";
        };
        parent.event("ChainedInvoke" + verb, op.id(), op.name(), details("childExecutionId", e.id, "error",
                status == ExecutionStatus.FAILED ? errorMap(error) : null), now);
        parent.ready = true;
    }

    private void create(String id, String workflow, String version, String input, Instant timeoutAt,
            String parentId, String parentOperationId) {
        Instant now = now();
        Execution e = new Execution(id, workflow, version, input, now, timeoutAt, parentId, parentOperationId);
        executions.put(id, e);
        e.event("ExecutionStarted", null, null, details("workflow", workflow, "version", version, "timeoutAt",
                text(timeoutAt), "parentExecutionId", parentId, "parentOperationId", parentOperationId), now);
        if (timeoutAt != null) {
            e.timers.put("execution-timeout", new Timer(id, "execution-timeout", TimerKind.EXECUTION_TIMEOUT,
                    timeoutAt, null));
        }
    }

    private String resolve(String workflow, String version) {
        List<String> versions = workflows.get(workflow);
        if (versions == null || versions.isEmpty()) {
            return null;
        }
        if (version != null) {
            return versions.contains(version) ? version : null;
        }
        return versions.stream().max(InMemoryDurableStore::compareVersions).orElseThrow();
    }

    private static int compareVersions(String a, String b) {
        if (a.matches("\\d{1,18}") && b.matches("\\d{1,18}")) {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        }
        return a.compareTo(b);
    }

    /** Why a workflow (version) cannot be started, in the orchestrator's words. */
    private String notRegistered(String workflow, String version) {
        return workflows.containsKey(workflow) && version != null
                ? "no worker ever registered version '" + version + "' of the workflow '" + workflow + "'"
                : "no worker ever registered the workflow '" + workflow + "'";
    }

    /** The child execution id of a chained invoke, derived as the orchestrator derives it. */
    public static String childId(String parentExecutionId, String operationId) {
        return UUID.nameUUIDFromBytes(("cairn-chained-invoke:" + parentExecutionId + ":" + operationId)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    private Execution fenced(String executionId, String token) {
        Execution e = executionId == null ? null : executions.get(executionId);
        if (e == null || token == null || !token.equals(e.token) || e.status != ExecutionStatus.RUNNING) {
            throw new InvocationFencedException(executionId, "409 the invocation token of execution " + executionId
                    + " is not current");
        }
        return e;
    }

    private Execution require(String executionId) {
        Execution e = executions.get(executionId);
        if (e == null) {
            throw new IllegalArgumentException("unknown execution " + executionId);
        }
        return e;
    }

    private Map<String, Object> invocationDetails(Execution e, Instant endedAt, String outcome) {
        return details("startedAt", text(e.invocationStartedAt), "endedAt", text(endedAt), "outcome", outcome,
                "workerId", "local");
    }

    private static void validate(OperationUpdate u) {
        if (u.type() == OperationType.EXECUTION) {
            throw new IllegalArgumentException("EXECUTION is recorded through complete: " + u);
        }
        switch (u.action()) {
            case RETRY, CONTINUE -> {
                if (u.type() != OperationType.STEP || u.nextAttemptAt() == null) {
                    throw new IllegalArgumentException(u.action() + " needs a STEP and nextAttemptAt: " + u);
                }
            }
            case CANCEL -> {
                if (u.type() != OperationType.CONTEXT) {
                    throw new IllegalArgumentException("CANCEL applies to CONTEXT operations only: " + u);
                }
            }
            case START -> {
                OperationOptions o = u.options();
                boolean ok = switch (u.type()) {
                    case WAIT -> u.scheduledEndAt() != null;
                    case CALLBACK -> o != null && o.callbackId() != null && !o.callbackId().isBlank();
                    case CHAINED_INVOKE -> o != null && o.workflow() != null && !o.workflow().isBlank();
                    default -> true;
                };
                if (!ok) {
                    throw new IllegalArgumentException("incomplete START: " + u);
                }
            }
            default -> {
            }
        }
    }

    // ---------------------------------------------------------------- records

    private static OperationRecord row(OperationUpdate u, OperationStatus status, Integer attempt, Instant endedAt,
            String result, ErrorInfo error, Instant scheduledEndAt, Instant nextAttemptAt, String callbackId,
            String childExecutionId) {
        return new OperationRecord(u.id(), u.parentId(), u.type(), u.subType(), u.name(), status, attempt,
                u.startedAt(), endedAt, result, error, scheduledEndAt, nextAttemptAt, callbackId, childExecutionId);
    }

    /** {@code later}'s values over {@code earlier}'s, a null keeping the earlier value (status always later's). */
    private static OperationRecord overlay(OperationRecord earlier, OperationRecord later) {
        return new OperationRecord(earlier.id(), pick(later.parentId(), earlier.parentId()), earlier.type(),
                pick(later.subType(), earlier.subType()), pick(later.name(), earlier.name()), later.status(),
                pick(later.attempt(), earlier.attempt()), pick(earlier.startedAt(), later.startedAt()),
                pick(later.endedAt(), earlier.endedAt()), pick(later.result(), earlier.result()),
                pick(later.error(), earlier.error()), pick(later.scheduledEndAt(), earlier.scheduledEndAt()),
                pick(later.nextAttemptAt(), earlier.nextAttemptAt()), pick(later.callbackId(), earlier.callbackId()),
                pick(later.childExecutionId(), earlier.childExecutionId()));
    }

    private static <T> T pick(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }

    private static OperationRecord withStartedAt(OperationRecord r, Instant startedAt) {
        return new OperationRecord(r.id(), r.parentId(), r.type(), r.subType(), r.name(), r.status(), r.attempt(),
                startedAt, r.endedAt(), r.result(), r.error(), r.scheduledEndAt(), r.nextAttemptAt(), r.callbackId(),
                r.childExecutionId());
    }

    private static OperationRecord with(OperationRecord r, OperationStatus status, Instant endedAt) {
        return new OperationRecord(r.id(), r.parentId(), r.type(), r.subType(), r.name(), status, r.attempt(),
                r.startedAt(), endedAt, r.result(), r.error(), r.scheduledEndAt(), r.nextAttemptAt(), r.callbackId(),
                r.childExecutionId());
    }

    private static OperationRecord withStatus(OperationRecord r, OperationStatus status) {
        return with(r, status, r.endedAt());
    }

    /** An attempt for {@link OperationStatus#movesTo}: absent keeps {@code recorded}, and counts as 0. */
    private static int attempt(Integer attempt, Integer recorded) {
        return attempt != null ? attempt : recorded != null ? recorded : 0;
    }

    private static Object[] event(String type, OperationUpdate u, Map<String, Object> details) {
        return new Object[] {type, u.id(), u.name(), details};
    }

    /** Details from key/value pairs; null values are left out (as the orchestrator strips them). */
    private static Map<String, Object> details(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                map.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return map;
    }

    static Map<String, Object> errorMap(ErrorInfo error) {
        if (error == null) {
            return null;
        }
        return details("type", error.type(), "message", error.message(), "data", parse(error.data()));
    }

    private static Object parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, Object.class);
        } catch (RuntimeException e) {
            return json;
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /** The kinds of timers, as the orchestrator's {@code timers.kind}. */
    public enum TimerKind {
        WAIT, RETRY, CALLBACK_TIMEOUT, CALLBACK_HEARTBEAT, EXECUTION_TIMEOUT;

        /** Whether only the outside world (a callback request) can beat this timer. */
        public boolean isCallbackTimer() {
            return this == CALLBACK_TIMEOUT || this == CALLBACK_HEARTBEAT;
        }
    }

    /** A timer: what fires when ({@code operationId} null for the execution's own timeout). */
    public record Timer(String executionId, String id, TimerKind kind, Instant dueAt, String operationId) {

        /** Whether it is a timer of that operation. */
        boolean isOf(String operation) {
            return operation.equals(operationId);
        }

        /** Whether it is a timer of an operation inside that context. */
        boolean isInside(String context) {
            return operationId != null && operationId.startsWith(context + "-");
        }
    }

    private static final class Execution {
        final String id;
        final String workflow;
        final String version;
        final String input;
        final Instant startedAt;
        final Instant timeoutAt;
        final String parentExecutionId;
        final String parentOperationId;
        final Map<String, OperationRecord> operations = new LinkedHashMap<>();
        final List<HistoryEvent> history = new ArrayList<>();
        final Map<String, Timer> timers = new LinkedHashMap<>();
        final Map<String, Duration> heartbeats = new HashMap<>();
        ExecutionStatus status = ExecutionStatus.RUNNING;
        String result;
        ErrorInfo error;
        Instant endedAt;
        boolean ready = true;
        String token;
        /** The token of the invocation that the last completion closed. */
        String completedToken;
        Instant invocationStartedAt;

        Execution(String id, String workflow, String version, String input, Instant startedAt, Instant timeoutAt,
                String parentExecutionId, String parentOperationId) {
            this.id = id;
            this.workflow = workflow;
            this.version = version;
            this.input = input;
            this.startedAt = startedAt;
            this.timeoutAt = timeoutAt;
            this.parentExecutionId = parentExecutionId;
            this.parentOperationId = parentOperationId;
        }

        void event(String type, String operationId, String name, Map<String, Object> details, Instant at) {
            history.add(new HistoryEvent(history.size() + 1, type, at, operationId, name, details));
        }

        ExecutionRecord record() {
            return new ExecutionRecord(id, workflow, version, status, input, result, error, startedAt, endedAt,
                    parentExecutionId);
        }
    }
}
