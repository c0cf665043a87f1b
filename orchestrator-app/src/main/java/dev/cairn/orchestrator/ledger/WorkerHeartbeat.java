package dev.cairn.orchestrator.ledger;

import java.time.Instant;
import java.util.List;

/**
 * A worker's heartbeat as the ledger records it.
 *
 * @param secret the secret the heartbeat carries (null for none)
 * @param inFlight invocations the worker runs, as it says
 * @param leases the invocations whose leases it extends: each an execution id and its invocation token (both
 *     UUIDs)
 */
public record WorkerHeartbeat(String workerId, String secret, int inFlight, List<Lease> leases, Instant now,
        Instant leaseUntil) {

    public WorkerHeartbeat {
        leases = List.copyOf(leases);
    }

    /** An invocation's lease: its execution and token. */
    public record Lease(String executionId, String invocationToken) {
    }

    /**
     * What the heartbeat found.
     *
     * @param known whether a worker of this id is registered
     * @param owned whether the secret is the one that owns it (then the heartbeat was recorded)
     * @param extended leases extended
     */
    public record Recorded(boolean known, boolean owned, long extended) {
    }
}
