package dev.cairn.protocol;

/** A workflow name and version a worker serves. */
public record WorkflowRef(String name, String version) {
}
