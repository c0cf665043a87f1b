package dev.cairn.orchestrator.api;

import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * A domain error that the HTTP boundary answers with an RFC 9457 problem: each feature's exceptions extend this
 * and say which status and title they mean.
 */
public abstract class ProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final List<FieldError> errors;

    protected ProblemException(HttpStatus status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    protected ProblemException(HttpStatus status, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** Headers the answer carries besides the problem (e.g. {@code Retry-After}); none by default. */
    public HttpHeaders headers() {
        return HttpHeaders.EMPTY;
    }
}
