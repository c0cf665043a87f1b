package dev.cairn.orchestrator.ledger;

import dev.cairn.protocol.OperationRecord;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What one dispatch pass claimed.
 *
 * @param claims the claimed executions, each with the id of the worker it was claimed for
 * @param operations the operation log of each claimed execution, in start order
 * @param free each candidate worker's free capacity after the claim
 */
public record ClaimPass(List<WorkerClaim> claims, Map<UUID, List<OperationRecord>> operations,
        Map<String, Integer> free) {

    /** An execution claimed for the worker {@code workerId}. */
    public record WorkerClaim(Claim claim, String workerId) {
    }
}
