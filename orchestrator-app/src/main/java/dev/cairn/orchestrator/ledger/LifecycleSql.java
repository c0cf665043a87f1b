package dev.cairn.orchestrator.ledger;

import dev.cairn.protocol.Cause;
import dev.cairn.protocol.ExecutionCause;
import dev.cairn.protocol.ExecutionStatus;
import dev.cairn.protocol.ExecutionTransition;
import dev.cairn.protocol.Lifecycle;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.TimerKind;
import dev.cairn.protocol.Transition;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lifecycle ({@link Lifecycle}, worker-protocol's table of transitions) as the SQL of the ledger's statements:
 * the status an operation or an execution takes on a cause, the status it must have, the history event it
 * records, the timer kinds. Statements render these at class load instead of writing literals, so that what a
 * transition does is read in one place, the table, and the SQL only carries it out.
 */
final class LifecycleSql {

    /** {@code 'RUNNING'}: the status of an execution that has not closed. */
    static final String RUNNING = literal(ExecutionStatus.RUNNING);

    /** The statuses of an open operation, for {@code in}: {@code ('STARTED', 'PENDING', 'READY')}. */
    static final String OPEN = Lifecycle.sqlList(
            Arrays.stream(OperationStatus.values()).filter(s -> !s.isClosed()).toList());

    /** The kinds of a callback's timers, for {@code in}. */
    static final String CALLBACK_TIMERS = Lifecycle.sqlList(
            Arrays.stream(TimerKind.values()).filter(TimerKind::isCallbackTimer).toList());

    /** The kinds of the timers that wake their execution, for {@code in}. */
    static final String WAKING_TIMERS = Lifecycle.sqlList(
            Arrays.stream(TimerKind.values()).filter(k -> k != TimerKind.EXECUTION_TIMEOUT).toList());

    /** The id of an execution's timeout timer. */
    static final String EXECUTION_TIMEOUT_ID = literal(TimerKind.EXECUTION_TIMEOUT_ID);

    /** The event every completion records, and a lost lease too. */
    static final String INVOCATION_COMPLETED_EVENT = Lifecycle.execution(ExecutionCause.INVOCATION_PENDING).events().get(0);

    /** {@link #INVOCATION_COMPLETED_EVENT} as a literal. */
    static final String INVOCATION_COMPLETED = literal(INVOCATION_COMPLETED_EVENT);

    private LifecycleSql() {
    }

    /** The transition of an operation of {@code type} on {@code cause} (the type's general row). */
    static Transition on(OperationType type, Cause cause) {
        return Lifecycle.of(type, null, cause);
    }

    /** The status an operation of {@code type} takes on {@code cause}, as a literal. */
    static String next(OperationType type, Cause cause) {
        return literal(on(type, cause).next());
    }

    /** The status an operation of {@code type} must have for {@code cause} to apply, as a literal. */
    static String requires(OperationType type, Cause cause) {
        OperationStatus requires = on(type, cause).requires();
        if (requires == null) {
            throw new IllegalStateException(cause + " of " + type + " takes any open operation");
        }
        return literal(requires);
    }

    /** The event an operation of {@code type} records on {@code cause}, as a literal. */
    static String event(OperationType type, Cause cause) {
        String event = on(type, cause).outcomeEvent();
        if (event == null) {
            throw new IllegalStateException(cause + " of " + type + " records no event");
        }
        return literal(event);
    }

    /** The status an execution takes on {@code cause}, as a literal. */
    static String executionStatus(ExecutionCause cause) {
        return literal(Lifecycle.execution(cause).next());
    }

    /** The event that says what {@code cause} did to an execution (its last), as a literal. */
    static String executionEvent(ExecutionCause cause) {
        List<String> events = Lifecycle.execution(cause).events();
        return literal(events.get(events.size() - 1));
    }

    /** A timer kind, as a literal. */
    static String kind(TimerKind kind) {
        return literal(kind);
    }

    /**
     * A {@code case} over an operation's type: the status each type takes on {@code cause} (a cause that sweeps
     * every open operation, such as {@link Cause#EXECUTION_STOPPED}).
     */
    static String nextByType(String typeColumn, Cause cause) {
        Map<OperationType, String> next = new LinkedHashMap<>();
        for (Transition t : Lifecycle.transitions()) {
            if (t.cause() == cause && t.subType() == null) {
                next.put(t.type(), t.next().name());
            }
        }
        return Lifecycle.sqlCase(typeColumn, next);
    }

    /**
     * The status every operation takes on {@code cause}, whatever its type, as a literal.
     *
     * @throws IllegalStateException when the table gives types different statuses on it
     */
    static String uniformNext(Cause cause) {
        List<OperationStatus> next = Lifecycle.transitions().stream().filter(t -> t.cause() == cause)
                .map(Transition::next).distinct().toList();
        if (next.size() != 1) {
            throw new IllegalStateException(cause + " leads to " + next + ", not one status");
        }
        return literal(next.get(0));
    }

    /** A {@code case} over an operation's type: the event each type records on {@code cause} (those that record one). */
    static String eventByType(String typeColumn, Cause cause) {
        return Lifecycle.sqlCase(typeColumn, eventsByType(cause));
    }

    /** The types that record an event on {@code cause}, for {@code in}. */
    static String typesWithEvent(Cause cause) {
        return Lifecycle.sqlList(eventsByType(cause).keySet());
    }

    private static Map<OperationType, String> eventsByType(Cause cause) {
        Map<OperationType, String> events = new LinkedHashMap<>();
        for (Transition t : Lifecycle.transitions()) {
            if (t.cause() == cause && t.subType() == null && t.outcomeEvent() != null) {
                events.put(t.type(), t.outcomeEvent());
            }
        }
        return events;
    }

    /**
     * What a chained child's close does to its parent's CHAINED_INVOKE: a {@code case} over the child's execution
     * status ({@code childStatus}) giving the operation's new status ({@code event} false) or the event it records
     * ({@code event} true).
     */
    static String childClosed(String childStatus, boolean event) {
        Map<ExecutionStatus, String> values = new LinkedHashMap<>();
        for (ExecutionStatus status : ExecutionStatus.values()) {
            if (status.isClosed()) {
                Transition t = on(OperationType.CHAINED_INVOKE, Cause.childClosed(status));
                values.put(status, event ? t.outcomeEvent() : t.next().name());
            }
        }
        return Lifecycle.sqlCase(childStatus, values);
    }

    /** A {@code case} over a callback timer's kind: the {@code reason} its {@code CallbackTimedOut} records. */
    static String callbackTimeoutReason(String kindColumn) {
        Map<TimerKind, String> reasons = new LinkedHashMap<>();
        for (TimerKind kind : TimerKind.values()) {
            if (kind.isCallbackTimer()) {
                reasons.put(kind, kind.callbackTimeoutReason());
            }
        }
        return Lifecycle.sqlCase(kindColumn, reasons);
    }

    /** The transition of an execution on {@code cause}. */
    static ExecutionTransition execution(ExecutionCause cause) {
        return Lifecycle.execution(cause);
    }

    /**
     * Fills the {@code ${name}} placeholders of a statement's text with {@code values} (rendered lifecycle
     * literals and shared fragments), at class load.
     *
     * @throws IllegalArgumentException when a placeholder has no value or a value no placeholder
     */
    static String fill(String template, Map<String, String> values) {
        String text = template;
        for (Map.Entry<String, String> v : values.entrySet()) {
            String placeholder = "${" + v.getKey() + "}";
            if (!text.contains(placeholder)) {
                throw new IllegalArgumentException("no " + placeholder + " in the statement");
            }
            text = text.replace(placeholder, v.getValue());
        }
        int left = text.indexOf("${");
        if (left >= 0) {
            throw new IllegalArgumentException("no value for " + text.substring(left, text.indexOf('}', left) + 1));
        }
        return text;
    }

    static String literal(Enum<?> value) {
        return literal(value.name());
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
