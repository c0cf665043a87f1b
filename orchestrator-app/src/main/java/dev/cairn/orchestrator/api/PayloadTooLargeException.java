package dev.cairn.orchestrator.api;

import org.springframework.http.HttpStatus;

/** A request body over {@code cairn.orchestrator.payload-limit}: 413. */
public class PayloadTooLargeException extends ProblemException {

    public PayloadTooLargeException(long limit) {
        super(HttpStatus.CONTENT_TOO_LARGE, "Payload too large", "the request body exceeds the limit of " + limit + " bytes");
    }
}
