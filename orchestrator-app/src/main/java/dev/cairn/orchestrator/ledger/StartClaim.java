package dev.cairn.orchestrator.ledger;

import java.time.Instant;

/**
 * A worker that a new execution may be claimed for by its start, skipping the dispatcher's claim: the start claims
 * it only if the worker has room (fewer than {@code capacity} invocations leased to it, across all replicas) and no
 * other execution of the same workflow version is ready and waiting.
 *
 * @param leaseUntil the lease of the claimed invocation
 */
public record StartClaim(String workerId, int capacity, Instant leaseUntil) {
}
