package dev.cairn.testing;

import java.time.Instant;
import java.util.Map;

/**
 * One history event of an execution, as {@code GET /v1/executions/{id}/history} returns it.
 *
 * @param seq the event's position in the execution's history, from 1
 * @param type AWS's event type name ({@code StepSucceeded}, {@code WaitStarted}, {@code InvocationCompleted}, …)
 * @param operationId the operation it is about, null for execution-level events
 * @param details the event's details as parsed JSON (values are maps, lists, strings, numbers, booleans); empty
 *     when none
 */
public record HistoryEvent(long seq, String type, Instant timestamp, String operationId, String name,
        Map<String, Object> details) {

    public HistoryEvent {
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }

    /** A detail by name, or null. */
    public Object detail(String key) {
        return details.get(key);
    }
}
