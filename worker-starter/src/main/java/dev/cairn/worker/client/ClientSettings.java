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
 * @param batching how checkpoints and completions of concurrent invocations share requests
 */
public record ClientSettings(URI baseUrl, String token, Duration requestTimeout, Duration retryFor,
        Duration initialBackoff, Duration maxBackoff, Batching batching) {

    public ClientSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(retryFor, "retryFor");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(batching, "batching");
        String url = baseUrl.toString();
        if (url.endsWith("/")) {
            baseUrl = URI.create(url.substring(0, url.length() - 1));
        }
        token = token == null || token.isBlank() ? null : token;
    }

    /** Settings with {@link Batching#DEFAULT}. */
    public ClientSettings(URI baseUrl, String token, Duration requestTimeout, Duration retryFor,
            Duration initialBackoff, Duration maxBackoff) {
        this(baseUrl, token, requestTimeout, retryFor, initialBackoff, maxBackoff, Batching.DEFAULT);
    }

    /** The same settings with other batching. */
    public ClientSettings withBatching(Batching batching) {
        return new ClientSettings(baseUrl, token, requestTimeout, retryFor, initialBackoff, maxBackoff, batching);
    }

    /**
     * How checkpoints and completions of concurrent invocations travel together in
     * {@code POST /v1/invocations/batch} requests.
     *
     * @param enabled false sends each checkpoint and completion alone to its own endpoint
     * @param maxInFlight how many batch requests may be under way at once; further items wait for one to return
     *     and then travel together in the next
     * @param maxItems the most items one request carries
     * @param maxBytes the size the items of one request stay within (an item larger than that travels alone)
     */
    public record Batching(boolean enabled, int maxInFlight, int maxItems, long maxBytes) {

        /** On, one request in flight, up to 64 items and 1 MiB per request. */
        public static final Batching DEFAULT = new Batching(true, 1, 64, 1024 * 1024);

        /** Every checkpoint and completion alone on its own endpoint. */
        public static final Batching OFF = new Batching(false, 1, 1, 1);

        public Batching {
            if (maxInFlight < 1 || maxItems < 1 || maxBytes < 1) {
                throw new IllegalArgumentException("maxInFlight, maxItems and maxBytes must be at least 1, not "
                        + maxInFlight + ", " + maxItems + " and " + maxBytes);
            }
        }
    }
}
