package dev.cairn.orchestrator.ledger;

import java.time.Instant;

/**
 * A timer to create or move: {@code kind} WAIT or RETRY (keyed by the operation id), CALLBACK_TIMEOUT or
 * CALLBACK_HEARTBEAT (keyed {@code <operation id>#timeout} / {@code #heartbeat}).
 *
 * @param operationId the operation it belongs to
 */
public record TimerRow(String timerId, String kind, Instant dueAt, String operationId) {
}
