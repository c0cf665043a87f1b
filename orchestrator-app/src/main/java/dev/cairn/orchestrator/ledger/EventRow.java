package dev.cairn.orchestrator.ledger;

/**
 * A history event to append.
 *
 * @param details JSON text, or null
 */
public record EventRow(String type, String operationId, String name, String details) {
}
