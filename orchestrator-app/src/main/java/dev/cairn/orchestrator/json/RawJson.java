package dev.cairn.orchestrator.json;

/** JSON text to be embedded as it is (not as a string) in a JSON document being written. */
public record RawJson(String text) {
}
