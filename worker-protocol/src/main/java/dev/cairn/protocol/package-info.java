/**
 * The messages exchanged between the orchestrator and workers (see this module's README for the endpoints and
 * the rules). Payloads ({@code input}, {@code result}, {@code payload}) travel as JSON <em>text</em> inside the
 * JSON message, so that the orchestrator stores them as they came and never parses them on the hot path.
 */
package dev.cairn.protocol;
