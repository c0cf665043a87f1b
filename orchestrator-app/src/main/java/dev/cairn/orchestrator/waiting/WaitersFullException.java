package dev.cairn.orchestrator.waiting;

import dev.cairn.orchestrator.api.ProblemException;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** No room for another parked request in this replica (or it is shutting down): 503 with {@code Retry-After}. */
public class WaitersFullException extends ProblemException {

    private final long retryAfterSeconds;

    WaitersFullException(String detail, long retryAfterSeconds) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "Too many waiting requests", detail);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** How long the client should wait before it asks again. */
    public Duration retryAfter() {
        return Duration.ofSeconds(retryAfterSeconds);
    }

    @Override
    public HttpHeaders headers() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        return headers;
    }
}
