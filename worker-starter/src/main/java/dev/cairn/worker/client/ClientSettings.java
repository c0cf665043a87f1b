package dev.cairn.worker.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the worker talks to the orchestrator.
 *
 * @param baseUrl the orchestrator's base URL
 * @param token the bearer token, or null to send none
 * @param requestTimeout the longest one request may take
 * @param retryFor how long checkpoints and completions are retried on transient errors before the invocation is
 *     abandoned
 * @param initialBackoff the first delay between retries; it doubles up to {@code maxBackoff}
 * @param maxBackoff the longest delay between retries
 */
public record ClientSettings(URI baseUrl, String token, Duration requestTimeout, Duration retryFor,
        Duration initialBackoff, Duration maxBackoff) {

    public ClientSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(retryFor, "retryFor");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        String url = baseUrl.toString();
        if (url.endsWith("/")) {
            baseUrl = URI.create(url.substring(0, url.length() - 1));
        }
        token = token == null || token.isBlank() ? null : token;
    }
}
