package dev.cairn.orchestrator.api;

/** What is wrong with one field of a request, as listed in a problem's {@code errors}. */
public record FieldError(String field, String message) {
}
