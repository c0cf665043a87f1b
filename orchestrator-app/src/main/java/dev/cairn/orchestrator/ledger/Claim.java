package dev.cairn.orchestrator.ledger;

import java.time.Instant;
import java.util.UUID;

/**
 * An execution claimed for an invocation: leased, with a fresh token.
 *
 * @param readyAt when it became ready (for the dispatch latency)
 */
public record Claim(UUID executionId, UUID token, String workflow, String version, String input, Instant startedAt,
        Instant readyAt) {
}
