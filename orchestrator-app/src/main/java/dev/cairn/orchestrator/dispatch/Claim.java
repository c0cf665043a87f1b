package dev.cairn.orchestrator.dispatch;

import java.time.Instant;
import java.util.UUID;

/** An execution claimed for an invocation: leased, with a fresh token. */
public record Claim(UUID executionId, UUID token, String workflow, String version, String input, Instant startedAt) {
}
