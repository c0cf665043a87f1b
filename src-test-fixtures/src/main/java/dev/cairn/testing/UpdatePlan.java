package dev.cairn.testing;

import dev.cairn.protocol.OperationRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one request's updates write, worked out before touching the execution (as the orchestrator's
 * {@code CheckpointPlan}): one row per operation (its updates folded in order), the history events in order, the
 * net timer changes (null: remove), the contexts cancelled, the chained children to start.
 *
 * @param wakesNow whether the execution is ready again whatever the worker does next
 */
record UpdatePlan(Map<String, OperationRecord> rows, List<PlannedEvent> events,
        Map<String, InMemoryDurableStore.Timer> timers, List<String> cancelled, List<ChildStart> children,
        Map<String, Duration> heartbeats, boolean wakesNow) {

    /** A history event of operation {@code operationId}, written only if the operation moves. */
    record PlannedEvent(String type, String operationId, String name, Map<String, Object> details) {
    }

    /** A chained child execution to start, if its CHAINED_INVOKE operation moves. */
    record ChildStart(String executionId, String workflow, String version, String input, Instant timeoutAt,
            String operationId) {
    }
}
