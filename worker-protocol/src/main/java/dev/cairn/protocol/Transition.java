package dev.cairn.protocol;

import java.util.List;
import java.util.Objects;

/**
 * One row of the {@link Lifecycle}: what {@code cause} does to an operation of {@code type} (and {@code subType}).
 *
 * @param type the operation type
 * @param subType the subtype the row is for, or null for every subtype the type has no row of its own for
 * @param cause why the operation changes
 * @param requires the status the operation must have for the orchestrator's own causes (a timer, a callback
 *     request, a child's close find it so, or do nothing); null for the worker's actions, which follow the forward
 *     rule ({@link OperationStatus#movesTo}) instead, and for {@link Cause#CONTEXT_CANCELLED} and
 *     {@link Cause#EXECUTION_STOPPED}, which take every open operation
 * @param next the status the operation becomes
 * @param events the history event types recorded, in order (none: nothing is recorded)
 * @param impliedStart whether the first event ({@code StepStarted}) records a start the worker did not send: it is
 *     left out when the same request sent START for the operation before this update (a condition poll)
 * @param timers what happens to timers
 * @param wake which execution becomes ready
 */
public record Transition(OperationType type, OperationSubType subType, Cause cause, OperationStatus requires,
        OperationStatus next, List<String> events, boolean impliedStart, TimerEffect timers, Wake wake) {

    public Transition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(timers, "timers");
        Objects.requireNonNull(wake, "wake");
        events = List.copyOf(events);
        if (subType != null && subType.type() != type) {
            throw new IllegalArgumentException(subType + " is not a subtype of " + type);
        }
        if (impliedStart && (events.isEmpty() || !events.get(0).equals(type.event("Started")))) {
            throw new IllegalArgumentException("an implied start must be the first event: " + events);
        }
    }

    /** The events to record, given whether the same request already sent START for the operation. */
    public List<String> events(boolean startedInRequest) {
        return impliedStart && startedInRequest ? events.subList(1, events.size()) : events;
    }

    /** The last event type, the one that says how the operation ended up (null when none is recorded). */
    public String outcomeEvent() {
        return events.isEmpty() ? null : events.get(events.size() - 1);
    }
}
