package dev.cairn.orchestrator.ledger;

/**
 * What a start stored.
 *
 * @param inserted false when the workflow already had an execution of that name (nothing was stored)
 * @param claim the execution claimed for the worker of its {@link StartClaim}, to be sent to it; null when it was
 *     not (no claim asked, no room, or others waiting): then it is ready for the dispatcher
 */
public record Started(boolean inserted, Claim claim) {
}
