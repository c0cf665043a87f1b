package dev.cairn.protocol;

import static dev.cairn.protocol.Cause.CALLBACK_FAILED;
import static dev.cairn.protocol.Cause.CALLBACK_HEARTBEAT_DUE;
import static dev.cairn.protocol.Cause.CALLBACK_SUCCEEDED;
import static dev.cairn.protocol.Cause.CALLBACK_TIMEOUT_DUE;
import static dev.cairn.protocol.Cause.CANCEL;
import static dev.cairn.protocol.Cause.CHILD_FAILED;
import static dev.cairn.protocol.Cause.CHILD_STOPPED;
import static dev.cairn.protocol.Cause.CHILD_SUCCEEDED;
import static dev.cairn.protocol.Cause.CHILD_TIMED_OUT;
import static dev.cairn.protocol.Cause.CONTEXT_CANCELLED;
import static dev.cairn.protocol.Cause.CONTINUE;
import static dev.cairn.protocol.Cause.EXECUTION_STOPPED;
import static dev.cairn.protocol.Cause.FAIL;
import static dev.cairn.protocol.Cause.INVOKE_TARGET_UNKNOWN;
import static dev.cairn.protocol.Cause.RETRY;
import static dev.cairn.protocol.Cause.RETRY_TIMER_DUE;
import static dev.cairn.protocol.Cause.START;
import static dev.cairn.protocol.Cause.SUCCEED;
import static dev.cairn.protocol.Cause.WAIT_TIMER_DUE;
import static dev.cairn.protocol.OperationStatus.CANCELLED;
import static dev.cairn.protocol.OperationStatus.FAILED;
import static dev.cairn.protocol.OperationStatus.PENDING;
import static dev.cairn.protocol.OperationStatus.READY;
import static dev.cairn.protocol.OperationStatus.STARTED;
import static dev.cairn.protocol.OperationStatus.STOPPED;
import static dev.cairn.protocol.OperationStatus.SUCCEEDED;
import static dev.cairn.protocol.OperationStatus.TIMED_OUT;
import static dev.cairn.protocol.OperationType.CALLBACK;
import static dev.cairn.protocol.OperationType.CHAINED_INVOKE;
import static dev.cairn.protocol.OperationType.CONTEXT;
import static dev.cairn.protocol.OperationType.STEP;
import static dev.cairn.protocol.OperationType.WAIT;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an operation and an execution become, as data: one {@link Transition} per operation type (and subtype where
 * it differs) and {@link Cause}, one {@link ExecutionTransition} per {@link ExecutionCause}. It is what every writer
 * of operations, history events and timers applies: the orchestrator's statements (whose literals it can render,
 * see {@link #sqlCase}), the test kit's in-memory store, and the tables of the worker-protocol README (a test renders
 * them from here). Together with the forward rule
 * ({@link OperationStatus#movesTo}), which decides whether a worker's update applies at all, it is the whole
 * lifecycle.
 */
public final class Lifecycle {

    private static final List<Transition> OPERATIONS = List.of(
            // the worker's updates
            worker(STEP, START, STARTED, TimerEffect.NONE, "StepStarted"),
            worker(STEP, SUCCEED, SUCCEEDED, TimerEffect.NONE, "StepSucceeded"),
            worker(STEP, FAIL, FAILED, TimerEffect.NONE, "StepFailed"),
            worker(STEP, RETRY, PENDING, TimerEffect.ARM_RETRY, "StepFailed"),
            poll(null, CONTINUE, PENDING, TimerEffect.ARM_RETRY, "StepSucceeded"),
            poll(OperationSubType.WAIT_FOR_CONDITION, SUCCEED, SUCCEEDED, TimerEffect.NONE, "StepSucceeded"),
            poll(OperationSubType.WAIT_FOR_CONDITION, FAIL, FAILED, TimerEffect.NONE, "StepFailed"),
            poll(OperationSubType.WAIT_FOR_CONDITION, RETRY, PENDING, TimerEffect.ARM_RETRY, "StepFailed"),
            worker(WAIT, START, STARTED, TimerEffect.ARM_WAIT, "WaitStarted"),
            worker(WAIT, SUCCEED, SUCCEEDED, TimerEffect.REMOVE_OWN, "WaitSucceeded"),
            worker(WAIT, FAIL, FAILED, TimerEffect.REMOVE_OWN, "WaitFailed"),
            worker(CALLBACK, START, STARTED, TimerEffect.ARM_CALLBACK, "CallbackStarted"),
            worker(CALLBACK, SUCCEED, SUCCEEDED, TimerEffect.NONE, "CallbackSucceeded"),
            worker(CALLBACK, FAIL, FAILED, TimerEffect.NONE, "CallbackFailed"),
            worker(CONTEXT, START, STARTED, TimerEffect.NONE, "ContextStarted"),
            worker(CONTEXT, SUCCEED, SUCCEEDED, TimerEffect.NONE, "ContextSucceeded"),
            worker(CONTEXT, FAIL, FAILED, TimerEffect.NONE, "ContextFailed"),
            worker(CONTEXT, CANCEL, CANCELLED, TimerEffect.REMOVE_SUBTREE),
            new Transition(CHAINED_INVOKE, null, START, null, STARTED, List.of("ChainedInvokeStarted"), false,
                    TimerEffect.NONE, Wake.CHILD_EXECUTION),
            worker(CHAINED_INVOKE, SUCCEED, SUCCEEDED, TimerEffect.NONE, "ChainedInvokeSucceeded"),
            worker(CHAINED_INVOKE, FAIL, FAILED, TimerEffect.NONE, "ChainedInvokeFailed"),
            // decided by the orchestrator at once
            new Transition(CHAINED_INVOKE, null, INVOKE_TARGET_UNKNOWN, null, FAILED,
                    List.of("ChainedInvokeStarted", "ChainedInvokeFailed"), false, TimerEffect.NONE, Wake.EXECUTION),
            // timers
            woken(WAIT, WAIT_TIMER_DUE, STARTED, SUCCEEDED, "WaitSucceeded"),
            woken(STEP, RETRY_TIMER_DUE, PENDING, READY),
            woken(CALLBACK, CALLBACK_TIMEOUT_DUE, STARTED, TIMED_OUT, "CallbackTimedOut"),
            woken(CALLBACK, CALLBACK_HEARTBEAT_DUE, STARTED, TIMED_OUT, "CallbackTimedOut"),
            // the callback API
            woken(CALLBACK, CALLBACK_SUCCEEDED, STARTED, SUCCEEDED, "CallbackSucceeded"),
            woken(CALLBACK, CALLBACK_FAILED, STARTED, FAILED, "CallbackFailed"),
            // the chained child closed
            childClosed(CHILD_SUCCEEDED, SUCCEEDED, "ChainedInvokeSucceeded"),
            childClosed(CHILD_FAILED, FAILED, "ChainedInvokeFailed"),
            childClosed(CHILD_TIMED_OUT, TIMED_OUT, "ChainedInvokeTimedOut"),
            childClosed(CHILD_STOPPED, STOPPED, "ChainedInvokeStopped"),
            // an enclosing context cancelled
            swept(STEP, CONTEXT_CANCELLED, CANCELLED),
            swept(WAIT, CONTEXT_CANCELLED, CANCELLED),
            swept(CALLBACK, CONTEXT_CANCELLED, CANCELLED),
            swept(CONTEXT, CONTEXT_CANCELLED, CANCELLED),
            swept(CHAINED_INVOKE, CONTEXT_CANCELLED, CANCELLED),
            // the execution stopped
            swept(STEP, EXECUTION_STOPPED, STOPPED),
            swept(WAIT, EXECUTION_STOPPED, CANCELLED, "WaitCancelled"),
            swept(CALLBACK, EXECUTION_STOPPED, CANCELLED),
            swept(CONTEXT, EXECUTION_STOPPED, STOPPED),
            swept(CHAINED_INVOKE, EXECUTION_STOPPED, STOPPED, "ChainedInvokeStopped"));

    private static final List<ExecutionTransition> EXECUTIONS = List.of(
            new ExecutionTransition(ExecutionCause.STARTED, ExecutionStatus.RUNNING, List.of("ExecutionStarted"),
                    TimerEffect.ARM_EXECUTION_TIMEOUT, Wake.EXECUTION),
            new ExecutionTransition(ExecutionCause.INVOCATION_SUCCEEDED, ExecutionStatus.SUCCEEDED,
                    List.of("InvocationCompleted", "ExecutionSucceeded"), TimerEffect.REMOVE_ALL,
                    Wake.PARENT_EXECUTION),
            new ExecutionTransition(ExecutionCause.INVOCATION_FAILED, ExecutionStatus.FAILED,
                    List.of("InvocationCompleted", "ExecutionFailed"), TimerEffect.REMOVE_ALL, Wake.PARENT_EXECUTION),
            new ExecutionTransition(ExecutionCause.INVOCATION_PENDING, ExecutionStatus.RUNNING,
                    List.of("InvocationCompleted"), TimerEffect.NONE, Wake.NOTHING),
            new ExecutionTransition(ExecutionCause.LEASE_EXPIRED, ExecutionStatus.RUNNING,
                    List.of("InvocationCompleted"), TimerEffect.NONE, Wake.EXECUTION),
            new ExecutionTransition(ExecutionCause.TIMED_OUT, ExecutionStatus.TIMED_OUT, List.of("ExecutionTimedOut"),
                    TimerEffect.REMOVE_ALL, Wake.PARENT_EXECUTION),
            new ExecutionTransition(ExecutionCause.STOPPED, ExecutionStatus.STOPPED, List.of("ExecutionStopped"),
                    TimerEffect.REMOVE_ALL, Wake.PARENT_EXECUTION),
            new ExecutionTransition(ExecutionCause.ANCESTOR_STOPPED, ExecutionStatus.STOPPED,
                    List.of("ExecutionStopped"), TimerEffect.REMOVE_ALL, Wake.NOTHING));

    private Lifecycle() {
    }

    /** Every operation transition, in the table's order. */
    public static List<Transition> transitions() {
        return OPERATIONS;
    }

    /** Every execution transition, in the table's order. */
    public static List<ExecutionTransition> executionTransitions() {
        return EXECUTIONS;
    }

    /**
     * The transition for an operation of {@code type} and {@code subType} (a wire value; null or unknown falls back to
     * the type's own rows) on {@code cause}; empty when the lifecycle has none (the protocol does not allow it).
     */
    public static Optional<Transition> find(OperationType type, String subType, Cause cause) {
        Transition general = null;
        for (Transition t : OPERATIONS) {
            if (t.type() == type && t.cause() == cause) {
                if (t.subType() == null) {
                    general = t;
                } else if (t.subType().is(subType)) {
                    return Optional.of(t);
                }
            }
        }
        return Optional.ofNullable(general);
    }

    /**
     * The transition for an operation on {@code cause}.
     *
     * @throws IllegalArgumentException when the lifecycle has none
     */
    public static Transition of(OperationType type, String subType, Cause cause) {
        return find(type, subType, cause).orElseThrow(() -> new IllegalArgumentException(
                cause + " is not a transition of " + type + (subType == null ? "" : " / " + subType)));
    }

    /** The transition for the worker's update {@code u}. */
    public static Transition of(OperationUpdate u) {
        return of(u.type(), u.subType(), Cause.of(u.action()));
    }

    /** Whether the protocol lets a worker send {@code action} for an operation of {@code type}. */
    public static boolean allows(OperationType type, OperationAction action) {
        return find(type, null, Cause.of(action)).isPresent();
    }

    /** The kinds of timer that operations of {@code type} own: those its transitions arm. */
    public static List<TimerKind> timerKinds(OperationType type) {
        return OPERATIONS.stream().filter(t -> t.type() == type).flatMap(t -> t.timers().arms().stream()).distinct()
                .toList();
    }

    /** The execution transition on {@code cause}. */
    public static ExecutionTransition execution(ExecutionCause cause) {
        return EXECUTIONS.stream().filter(t -> t.cause() == cause).findFirst().orElseThrow();
    }

    /**
     * The event each of {@code causes} records for an operation of {@code type}, by the status it leads to: e.g.
     * CHAINED_INVOKE and the four {@code CHILD_…} causes give SUCCEEDED → ChainedInvokeSucceeded, FAILED →
     * ChainedInvokeFailed, … (the general rows; causes that record nothing are left out).
     */
    public static Map<OperationStatus, String> outcomeEvents(OperationType type, Collection<Cause> causes) {
        Map<OperationStatus, String> events = new LinkedHashMap<>();
        for (Cause cause : causes) {
            find(type, null, cause).filter(t -> t.outcomeEvent() != null)
                    .ifPresent(t -> events.put(t.next(), t.outcomeEvent()));
        }
        return events;
    }

    /**
     * A SQL {@code case} expression that maps the values of {@code column} to literals:
     * {@code sqlCase("status", Map.of(SUCCEEDED, "ChainedInvokeSucceeded"))} is {@code case status when 'SUCCEEDED'
     * then 'ChainedInvokeSucceeded' end}. Keys are written with {@code toString()} ({@code name()} for these enums).
     */
    public static String sqlCase(String column, Map<?, String> values) {
        StringBuilder sql = new StringBuilder("case ").append(column);
        values.forEach((when, then) -> sql.append(" when ").append(literal(String.valueOf(when))).append(" then ")
                .append(literal(then)));
        return sql.append(" end").toString();
    }

    /** A SQL list of the names of {@code values} ({@code ('WAIT', 'RETRY')}), for {@code in}. */
    public static String sqlList(Collection<? extends Enum<?>> values) {
        List<String> literals = new ArrayList<>();
        values.forEach(v -> literals.add(literal(v.name())));
        return "(" + String.join(", ", literals) + ")";
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static Transition worker(OperationType type, Cause cause, OperationStatus next, TimerEffect timers,
            String... events) {
        return new Transition(type, null, cause, null, next, List.of(events), false, timers, Wake.NOTHING);
    }

    /** A STEP update that records the poll's {@code StepStarted} first, unless the request started it. */
    private static Transition poll(OperationSubType subType, Cause cause, OperationStatus next, TimerEffect timers,
            String outcome) {
        return new Transition(STEP, subType, cause, null, next, List.of("StepStarted", outcome), true, timers,
                Wake.NOTHING);
    }

    private static Transition woken(OperationType type, Cause cause, OperationStatus requires, OperationStatus next,
            String... events) {
        return new Transition(type, null, cause, requires, next, List.of(events), false, TimerEffect.REMOVE_OWN,
                Wake.EXECUTION);
    }

    private static Transition childClosed(Cause cause, OperationStatus next, String event) {
        return new Transition(CHAINED_INVOKE, null, cause, STARTED, next, List.of(event), false, TimerEffect.NONE,
                Wake.EXECUTION);
    }

    private static Transition swept(OperationType type, Cause cause, OperationStatus next, String... events) {
        return new Transition(type, null, cause, null, next, List.of(events), false, TimerEffect.REMOVE_OWN,
                Wake.NOTHING);
    }
}
