package dev.cairn.orchestrator.ledger;

/**
 * What a callback request found and did.
 *
 * @param status the callback's status when the request got its lock
 * @param executionStatus its execution's status then
 * @param result the callback's recorded result then (JSON text; null while STARTED or when none)
 * @param error the callback's recorded error then (stored error JSON; null unless FAILED)
 * @param timerFiring whether a poller was firing one of the callback's timers then (heartbeat only): it is timing
 *     out
 * @param changed whether the request wrote anything
 * @param tellReplicas whether the other replicas should look: the execution became ready (complete), the moved
 *     timer is due before their next poll (heartbeat)
 */
public record CallbackOutcome(String status, String executionStatus, String result, String error,
        boolean timerFiring, boolean changed, boolean tellReplicas) {
}
