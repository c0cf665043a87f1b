package dev.cairn.testing;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.Cause;
import dev.cairn.protocol.ExecutionCause;
import dev.cairn.protocol.ExecutionStatus;
import dev.cairn.protocol.ExecutionTransition;
import dev.cairn.protocol.Lifecycle;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.TimerEffect;
import dev.cairn.protocol.TimerKind;
import dev.cairn.protocol.Transition;
import dev.cairn.protocol.Wake;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The writes of the in-memory store: executions, operations, history events and timers change here, and only as
 * the {@link Lifecycle} says. Not thread-safe: {@link InMemoryDurableStore} holds its lock around every call.
 */
final class InMemoryLedger {

    private final Map<String, StoredExecution> executions = new LinkedHashMap<>();

    /** Every execution by id, in start order. */
    Map<String, StoredExecution> executions() {
        return executions;
    }

    /** Stores a new execution, ready, with its {@code ExecutionStarted} event and its timeout timer. */
    StoredExecution start(String id, String workflow, String version, String input, Instant timeoutAt,
            String parentId, String parentOperationId, Instant now) {
        StoredExecution e = new StoredExecution(id, workflow, version, input, now, timeoutAt, parentId,
                parentOperationId);
        executions.put(id, e);
        ExecutionTransition started = Lifecycle.execution(ExecutionCause.STARTED);
        record(e, started, null, null, now);
        if (started.timers() == TimerEffect.ARM_EXECUTION_TIMEOUT && timeoutAt != null) {
            e.arm(TimerKind.EXECUTION_TIMEOUT, timeoutAt, null);
        }
        e.ready = started.wake() == Wake.EXECUTION;
        return e;
    }

    /**
     * The execution moves on {@code cause} (not STARTED): its events, and when it closes its status, result, error,
     * timers and its chained parent's operation.
     *
     * @param invocation the details of {@code InvocationCompleted} or {@code ExecutionStopped}, when the cause
     *     records it
     */
    void execution(StoredExecution e, ExecutionCause cause, String result, ErrorInfo error,
            Map<String, Object> invocation, Instant now) {
        ExecutionTransition t = Lifecycle.execution(cause);
        record(e, t, error, invocation, now);
        if (t.closes()) {
            e.status = t.next();
            e.result = result;
            e.error = error;
            e.endedAt = now;
            e.ready = false;
            e.token = null;
        }
        if (t.timers() == TimerEffect.REMOVE_ALL) {
            e.timers.clear();
        }
        if (t.wake() == Wake.EXECUTION) {
            e.ready = true;
        } else if (t.wake() == Wake.PARENT_EXECUTION) {
            childClosed(e, now);
        }
    }

    /** Writes what a planned request moved: only forward; what belongs to an operation only when it moved. */
    void apply(StoredExecution e, UpdatePlan plan, Instant now) {
        Set<String> moved = new HashSet<>();
        plan.rows().forEach((id, row) -> {
            OperationRecord stored = e.operations.get(id);
            if (stored == null) {
                // a new operation starts when the worker says its body began, never later than now
                Instant began = row.startedAt();
                e.operations.put(id, OperationRows.withStartedAt(row, began != null && began.isBefore(now) ? began
                        : now));
                moved.add(id);
            } else if (stored.status().movesTo(row.status(), OperationRows.attempt(stored.attempt(), null),
                    OperationRows.attempt(row.attempt(), stored.attempt()))) {
                e.operations.put(id, OperationRows.overlay(stored, row));
                moved.add(id);
            }
        });
        for (String cancelledId : plan.cancelled()) {
            String prefix = cancelledId + "-";
            e.operations.replaceAll((id, op) -> id.startsWith(prefix) && !op.status().isClosed()
                    && !plan.rows().containsKey(id) ? swept(e, op, Cause.CONTEXT_CANCELLED, now) : op);
        }
        for (UpdatePlan.PlannedEvent ev : plan.events()) {
            if (ev.operationId() == null || moved.contains(ev.operationId())) {
                e.event(ev.type(), ev.operationId(), ev.name(), ev.details(), now);
            }
        }
        e.heartbeats.putAll(plan.heartbeats());
        plan.timers().forEach((id, timer) -> {
            if (timer == null) {
                e.timers.remove(id);
            } else if (moved.contains(timer.operationId())) {
                e.timers.put(id, timer);
            }
        });
        for (String cancelledId : plan.cancelled()) {
            // the execution's own timer (no operation) stays
            e.timers.values().removeIf(t -> !plan.timers().containsKey(t.id()) && t.operationId() != null
                    && (t.operationId().equals(cancelledId) || t.operationId().startsWith(cancelledId + "-")));
        }
        for (UpdatePlan.ChildStart c : plan.children()) {
            if (moved.contains(c.operationId()) && !executions.containsKey(c.executionId())) {
                start(c.executionId(), c.workflow(), c.version(), c.input(), c.timeoutAt(), e.id, c.operationId(),
                        now);
            }
        }
        if (plan.wakesNow()) {
            e.ready = true;
        }
    }

    /**
     * Stops a running execution ({@code STOPPED}, or {@code ANCESTOR_STOPPED} for a chained descendant of the
     * execution stopped): its open operations are swept as the table says, then the execution closes, its event
     * last.
     *
     * @param stoppedWith the execution the stop named, when it is another ({@code ExecutionStopped {stoppedWith}})
     */
    void stop(StoredExecution e, ExecutionCause cause, String stoppedWith, Instant now) {
        e.operations.replaceAll((id, op) -> op.status().isClosed() ? op : swept(e, op, Cause.EXECUTION_STOPPED, now));
        execution(e, cause, null, null, stoppedWith == null ? null : EventDetails.of("stoppedWith", stoppedWith),
                now);
    }

    /** A timer of a running execution fired (it is already removed). */
    void fire(StoredExecution e, InMemoryDurableStore.Timer timer, Instant now) {
        if (timer.kind() == TimerKind.EXECUTION_TIMEOUT) {
            execution(e, ExecutionCause.TIMED_OUT, null, null, null, now);
            return;
        }
        Cause cause = Cause.timerDue(timer.kind());
        // a fired timer wakes its execution even when its operation has moved on
        if (Lifecycle.transitions().stream().anyMatch(t -> t.cause() == cause && t.wake() == Wake.EXECUTION)) {
            e.ready = true;
        }
        Map<String, Object> details = timer.kind().isCallbackTimer()
                ? EventDetails.of("reason", timer.kind().callbackTimeoutReason()) : null;
        operation(e, e.operations.get(timer.operationId()), cause, null, null, details, now);
    }

    /**
     * The orchestrator's own {@code cause} moves {@code op} when it has the status the transition requires.
     *
     * @return whether it moved
     */
    boolean operation(StoredExecution e, OperationRecord op, Cause cause, String result, ErrorInfo error,
            Map<String, Object> details, Instant now) {
        Optional<Transition> found = op == null ? Optional.empty() : Lifecycle.find(op.type(), op.subType(), cause);
        if (found.isEmpty() || op.status() != found.get().requires()) {
            return false;
        }
        Transition t = found.get();
        e.operations.put(op.id(), OperationRows.with(op, t.next(), t.next().isClosed() ? now : op.endedAt(), result,
                error));
        for (String type : t.events()) {
            e.event(type, op, details, now);
        }
        if (t.timers() == TimerEffect.REMOVE_OWN) {
            e.removeTimers(op.id(), Lifecycle.timerKinds(op.type()));
        }
        if (t.wake() == Wake.EXECUTION) {
            e.ready = true;
        }
        return true;
    }

    /** An open operation swept by an enclosing cancel (or a stop): its status; it records what the table says. */
    private static OperationRecord swept(StoredExecution e, OperationRecord op, Cause cause, Instant now) {
        Transition t = Lifecycle.of(op.type(), op.subType(), cause);
        for (String type : t.events()) {
            e.event(type, op, op.childExecutionId() == null ? null
                    : EventDetails.of("childExecutionId", op.childExecutionId()), now);
        }
        return OperationRows.with(op, t.next(), now);
    }

    /** A closed chained child: its parent's CHAINED_INVOKE operation learns how. */
    private void childClosed(StoredExecution child, Instant now) {
        if (child.parentExecutionId == null) {
            return;
        }
        StoredExecution parent = executions.get(child.parentExecutionId);
        if (parent == null || !parent.isRunning()) {
            return;
        }
        ExecutionStatus status = child.status;
        operation(parent, parent.operations.get(child.parentOperationId), Cause.childClosed(status),
                status == ExecutionStatus.SUCCEEDED ? child.result : null,
                status == ExecutionStatus.FAILED ? child.error : null,
                EventDetails.of("childExecutionId", child.id, "error",
                        status == ExecutionStatus.FAILED ? EventDetails.error(child.error) : null), now);
    }

    private static void record(StoredExecution e, ExecutionTransition t, ErrorInfo error,
            Map<String, Object> invocation, Instant now) {
        for (String type : t.events()) {
            Map<String, Object> details = switch (type) {
                case "ExecutionStarted" -> EventDetails.of("workflow", e.workflow, "version", e.version,
                        "timeoutAt", EventDetails.text(e.timeoutAt), "parentExecutionId", e.parentExecutionId,
                        "parentOperationId", e.parentOperationId);
                case "InvocationCompleted", "ExecutionStopped" -> invocation;
                case "ExecutionFailed" -> EventDetails.of("error", EventDetails.error(error));
                case "ExecutionTimedOut" -> EventDetails.of("timeoutAt", EventDetails.text(e.timeoutAt));
                default -> null;
            };
            e.event(type, null, null, details, now);
        }
    }
}
