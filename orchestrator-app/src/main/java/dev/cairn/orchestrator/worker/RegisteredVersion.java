package dev.cairn.orchestrator.worker;

/**
 * A version of a workflow that some worker registered once.
 *
 * @param live whether a live worker serves it now
 */
public record RegisteredVersion(String version, boolean live) {
}
