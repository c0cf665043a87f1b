package dev.cairn.testing;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.Cause;
import dev.cairn.protocol.Lifecycle;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationOptions;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationSubType;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.OperationUpdate;
import dev.cairn.protocol.TimerKind;
import dev.cairn.protocol.Transition;
import dev.cairn.protocol.Wake;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans one request's updates ({@link UpdatePlan}): the {@link Lifecycle} decides each update's status, events,
 * timers and wake-ups; this class fills in the fields each update writes and the details of its events.
 */
final class UpdatePlanner {

    /** The longest callback id the orchestrator takes. */
    private static final int MAX_CALLBACK_ID = 256;


    private final String executionId;
    private final Instant now;
    private final WorkflowRegistry workflows;
    private final Map<String, OperationRecord> rows = new LinkedHashMap<>();
    private final List<UpdatePlan.PlannedEvent> events = new ArrayList<>();
    private final Map<String, InMemoryDurableStore.Timer> timers = new LinkedHashMap<>();
    private final Map<String, OperationAction> lastAction = new HashMap<>();
    private final List<String> cancelled = new ArrayList<>();
    private final List<UpdatePlan.ChildStart> children = new ArrayList<>();
    private final Map<String, Duration> heartbeats = new HashMap<>();
    private boolean wakesNow;

    private UpdatePlanner(String executionId, Instant now, WorkflowRegistry workflows) {
        this.executionId = executionId;
        this.now = now;
        this.workflows = workflows;
    }

    /**
     * Plans {@code updates} of execution {@code executionId}.
     *
     * @throws IllegalArgumentException when an update is not one the protocol defines
     */
    static UpdatePlan plan(String executionId, List<OperationUpdate> updates, Instant now,
            WorkflowRegistry workflows) {
        UpdatePlanner planner = new UpdatePlanner(executionId, now, workflows);
        updates.forEach(planner::add);
        return new UpdatePlan(planner.rows, planner.events, planner.timers, planner.cancelled, planner.children,
                planner.heartbeats, planner.wakesNow);
    }

    private void add(OperationUpdate u) {
        validate(u);
        OperationAction action = u.action();
        Integer attempt = u.type() == OperationType.STEP ? (u.attempt() == null ? 1 : u.attempt()) : null;
        OperationRecord planned = rows.get(u.id());
        if (planned != null && !movesForward(planned, Lifecycle.of(u.type(), u.subType(), Cause.of(action)).next(),
                attempt)) {
            return; // an earlier update of this request overtook it: it changes nothing, as a repeat would
        }
        // the details of a START's events, in the order its transition records them
        List<Map<String, Object>> startDetails = new ArrayList<>();
        String child = null;
        ErrorInfo failure = null;
        Cause cause = Cause.of(action);
        if (action == OperationAction.START) {
            OperationOptions o = u.options();
            switch (u.type()) {
                case STEP -> startDetails.add(EventDetails.of("attempt", attempt));
                case WAIT -> startDetails.add(EventDetails.of("scheduledEndAt", EventDetails.text(u.scheduledEndAt())));
                case CALLBACK -> startDetails.add(EventDetails.of("callbackId", o.callbackId(), "timeout",
                        EventDetails.text(o.timeout()), "heartbeatTimeout", EventDetails.text(o.heartbeatTimeout())));
                case CHAINED_INVOKE -> {
                    String version = workflows.resolve(o.workflow(), o.version());
                    if (version != null) {
                        child = InMemoryDurableStore.childId(executionId, u.id());
                        startDetails.add(EventDetails.of("childExecutionId", child, "workflow", o.workflow(),
                                "version", version));
                        children.add(new UpdatePlan.ChildStart(child, o.workflow(), version, u.payload(),
                                o.timeout() == null ? null : now.plus(o.timeout()), u.id()));
                    } else {
                        cause = Cause.INVOKE_TARGET_UNKNOWN;
                        failure = new ErrorInfo(InMemoryDurableStore.WORKFLOW_NOT_FOUND, "cannot invoke: "
                                + workflows.notRegistered(o.workflow(), o.version()), null);
                        startDetails.add(EventDetails.of("workflow", o.workflow(), "version", o.version()));
                        startDetails.add(EventDetails.of("error", EventDetails.error(failure)));
                    }
                }
                default -> startDetails.add(null);
            }
        }
        Transition t = Lifecycle.of(u.type(), u.subType(), cause);
        OperationRecord row = OperationRows.row(u, t.next(), attempt, t.next().isClosed() ? now : null,
                action == OperationAction.SUCCEED || action == OperationAction.CONTINUE ? u.payload() : null,
                action == OperationAction.FAIL || action == OperationAction.RETRY ? u.error() : failure,
                action == OperationAction.START && u.type() == OperationType.WAIT ? u.scheduledEndAt() : null,
                action == OperationAction.RETRY || action == OperationAction.CONTINUE ? u.nextAttemptAt() : null,
                action == OperationAction.START && u.type() == OperationType.CALLBACK ? u.options().callbackId()
                        : null,
                child);
        List<String> types = t.events(lastAction.get(u.id()) == OperationAction.START);
        boolean withImpliedStart = t.impliedStart() && types.size() == t.events().size();
        for (int i = 0; i < types.size(); i++) {
            Map<String, Object> details = action == OperationAction.START ? startDetails.get(i)
                    : withImpliedStart && i == 0 ? EventDetails.of("attempt", attempt) : outcomeDetails(u, attempt);
            events.add(new UpdatePlan.PlannedEvent(types.get(i), u.id(), u.name(), details));
        }
        timers(u, t);
        if (t.wake() == Wake.EXECUTION) {
            wakesNow = true;
        }
        rows.merge(u.id(), row, OperationRows::overlay);
        lastAction.put(u.id(), action);
    }

    /** Whether an update to {@code next} at {@code attempt} moves the operation planned so far forward. */
    private static boolean movesForward(OperationRecord planned, OperationStatus next, Integer attempt) {
        int recorded = planned.attempt() == null ? 0 : planned.attempt();
        return planned.status().movesTo(next, recorded, attempt == null ? recorded : attempt);
    }

    /** The details of the event that records how an update left the operation. */
    private static Map<String, Object> outcomeDetails(OperationUpdate u, Integer attempt) {
        boolean step = u.type() == OperationType.STEP;
        boolean condition = step && OperationSubType.WAIT_FOR_CONDITION.is(u.subType());
        Object state = condition ? EventDetails.parse(u.payload()) : null;
        Map<String, Object> error = EventDetails.error(u.error());
        return switch (u.action()) {
            case SUCCEED -> !step ? null : EventDetails.of("attempt", attempt, "state", state);
            case FAIL -> EventDetails.of("attempt", attempt, "error", error, "state", state);
            case RETRY -> EventDetails.of("attempt", attempt, "error", error, "nextAttemptAt",
                    EventDetails.text(u.nextAttemptAt()));
            case CONTINUE -> EventDetails.of("attempt", attempt, "state", EventDetails.parse(u.payload()),
                    "nextAttemptAt", EventDetails.text(u.nextAttemptAt()));
            case START, CANCEL -> null;
        };
    }

    private void timers(OperationUpdate u, Transition t) {
        switch (t.timers()) {
            case ARM_WAIT -> arm(TimerKind.WAIT, u.scheduledEndAt(), u.id());
            case ARM_RETRY -> arm(TimerKind.RETRY, u.nextAttemptAt(), u.id());
            case ARM_CALLBACK -> {
                for (TimerKind kind : t.timers().arms()) {
                    Duration after = kind == TimerKind.CALLBACK_TIMEOUT ? u.options().timeout()
                            : u.options().heartbeatTimeout();
                    if (after != null) {
                        arm(kind, now.plus(after), u.id());
                    }
                    if (after != null && kind == TimerKind.CALLBACK_HEARTBEAT) {
                        heartbeats.put(u.id(), after);
                    }
                }
            }
            case REMOVE_OWN -> Lifecycle.timerKinds(u.type()).forEach(kind -> timers.put(kind.timerId(u.id()), null));
            case REMOVE_SUBTREE -> cancel(u.id());
            default -> {
            }
        }
    }

    private void arm(TimerKind kind, Instant dueAt, String operationId) {
        String timerId = kind.timerId(operationId);
        timers.put(timerId, new InMemoryDurableStore.Timer(executionId, timerId, kind, dueAt, operationId));
    }

    /** The open operations of this request inside context {@code id} are cancelled, and the timers of all. */
    private void cancel(String id) {
        String prefix = id + "-";
        rows.replaceAll((rowId, r) -> rowId.startsWith(prefix) && !r.status().isClosed()
                ? OperationRows.with(r, Lifecycle.of(r.type(), r.subType(), Cause.CONTEXT_CANCELLED).next(), now)
                : r);
        timers.replaceAll((timerId, timer) -> timer != null && (timer.operationId().equals(id)
                || timer.operationId().startsWith(prefix)) ? null : timer);
        cancelled.add(id);
    }

    private static void validate(OperationUpdate u) {
        if (u.type() == OperationType.EXECUTION) {
            throw new IllegalArgumentException("EXECUTION is recorded through complete: " + u);
        }
        if (u.id().isBlank() || u.id().length() > 500) {
            throw new IllegalArgumentException("an operation id has 1 to 500 characters: " + u);
        }
        if (u.attempt() != null && u.attempt() < 1) {
            throw new IllegalArgumentException("attempts count from 1: " + u);
        }
        if (u.startedAt() != null && (u.type() != OperationType.STEP || (u.action() != OperationAction.SUCCEED
                && u.action() != OperationAction.FAIL && u.action() != OperationAction.RETRY))) {
            throw new IllegalArgumentException("startedAt applies to a STEP's SUCCEED, FAIL or RETRY only: " + u);
        }
        switch (u.action()) {
            case RETRY, CONTINUE -> {
                if (!Lifecycle.allows(u.type(), u.action()) || u.nextAttemptAt() == null) {
                    throw new IllegalArgumentException(u.action() + " needs a STEP and nextAttemptAt: " + u);
                }
            }
            case CANCEL -> {
                if (!Lifecycle.allows(u.type(), u.action())) {
                    throw new IllegalArgumentException("CANCEL applies to CONTEXT operations only: " + u);
                }
            }
            case START -> {
                OperationOptions o = u.options();
                boolean ok = switch (u.type()) {
                    case WAIT -> u.scheduledEndAt() != null;
                    case CALLBACK -> o != null && o.callbackId() != null && !o.callbackId().isBlank()
                            && o.callbackId().length() <= MAX_CALLBACK_ID && positive(o.timeout())
                            && positive(o.heartbeatTimeout());
                    case CHAINED_INVOKE -> o != null && o.workflow() != null && !o.workflow().isBlank()
                            && positive(o.timeout());
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

    /** Null (none) or more than zero. */
    private static boolean positive(Duration d) {
        return d == null || !(d.isZero() || d.isNegative());
    }
}
