package dev.cairn.orchestrator.checkpoint;

import java.time.Instant;

/** A timer to create or move: {@code kind} WAIT or RETRY, keyed by the operation id. */
public record TimerRow(String timerId, String kind, Instant dueAt) {
}
