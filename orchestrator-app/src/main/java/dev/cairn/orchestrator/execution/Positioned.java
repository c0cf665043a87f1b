package dev.cairn.orchestrator.execution;

/** A list item with the position a page token continues after. */
public record Positioned<T>(long position, T item) {
}
