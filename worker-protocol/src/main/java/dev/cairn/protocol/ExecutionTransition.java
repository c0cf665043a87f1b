package dev.cairn.protocol;

import java.util.List;
import java.util.Objects;

/**
 * One row of the {@link Lifecycle}'s execution table: what {@code cause} does to a RUNNING execution.
 *
 * @param cause why the execution changes
 * @param next the status it has afterwards (RUNNING when it goes on)
 * @param events the history event types recorded, in order
 * @param timers what happens to its timers
 * @param wake which execution becomes ready: EXECUTION (this one), PARENT_EXECUTION (its chained parent, whose
 *     CHAINED_INVOKE operation takes the matching {@code CHILD_…} transition), or NOTHING
 */
public record ExecutionTransition(ExecutionCause cause, ExecutionStatus next, List<String> events,
        TimerEffect timers, Wake wake) {

    public ExecutionTransition {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(timers, "timers");
        Objects.requireNonNull(wake, "wake");
        events = List.copyOf(events);
    }

    /** Whether the execution closes for good. */
    public boolean closes() {
        return next.isClosed();
    }
}
