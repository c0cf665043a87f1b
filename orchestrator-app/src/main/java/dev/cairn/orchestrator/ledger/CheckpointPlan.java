package dev.cairn.orchestrator.ledger;

import java.time.Instant;
import java.util.List;

/**
 * What one checkpoint's or completion's updates write, worked out before touching the database (by the checkpoint
 * package's planner): one row per operation, the history events in order, the net timer changes, the contexts
 * cancelled (whose open operations the statement cancels too) and the chained child executions to start.
 *
 * @param cancelled ids of the contexts cancelled: their stored open operations (ids {@code <id>-…}) end CANCELLED
 *     and lose their timers
 * @param children chained child executions to start
 * @param wakesNow whether the execution must be invoked again whatever the worker does next (an operation was
 *     decided at once, such as the CHAINED_INVOKE of an unknown workflow)
 */
public record CheckpointPlan(
        List<OperationRow> operations,
        List<EventRow> events,
        List<TimerRow> timerUpserts,
        List<String> timerDeletes,
        List<String> cancelled,
        List<ChildStart> children,
        boolean wakesNow) {

    public CheckpointPlan {
        operations = List.copyOf(operations);
        events = List.copyOf(events);
        timerUpserts = List.copyOf(timerUpserts);
        timerDeletes = List.copyOf(timerDeletes);
        cancelled = List.copyOf(cancelled);
        children = List.copyOf(children);
    }

    /** The earliest timer this plan creates, or null. */
    public Instant earliestTimer() {
        return timerUpserts.stream().map(TimerRow::dueAt).min(Instant::compareTo).orElse(null);
    }
}
