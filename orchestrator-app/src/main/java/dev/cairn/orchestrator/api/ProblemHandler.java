package dev.cairn.orchestrator.api;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.databind.DatabindException;

/**
 * Translates every error to an RFC 9457 {@code application/problem+json} answer: the domain's
 * {@link ProblemException}s with their status, Spring MVC's own (404, 405, 415, 400 for malformed JSON) through
 * {@link ResponseEntityExceptionHandler}, and bodies over the limit to 413.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    /**
     * What this handler answers to {@code e}, for an answer written outside Spring MVC's exception handling (a parked
     * request answered on another thread): a domain error with its status, the database's as 503, anything else 500.
     */
    public static ResponseEntity<ProblemDetail> answerTo(Exception e) {
        if (e instanceof ProblemException p) {
            return problemAnswer(p);
        }
        if (e instanceof DataAccessException d) {
            return databaseAnswer(d);
        }
        return unexpectedAnswer(e);
    }

    /** Answers a domain error. */
    @ExceptionHandler(ProblemException.class)
    public ResponseEntity<ProblemDetail> problem(ProblemException e) {
        return problemAnswer(e);
    }

    private static ResponseEntity<ProblemDetail> problemAnswer(ProblemException e) {
        ProblemDetail p = problemOf(e);
        return ResponseEntity.status(p.getStatus()).headers(e.headers())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    /** The database is unreachable or overloaded: 503, the client may retry. */
    @ExceptionHandler(DataAccessException.class)
    public ResponseEntity<ProblemDetail> database(DataAccessException e) {
        return databaseAnswer(e);
    }

    private static ResponseEntity<ProblemDetail> databaseAnswer(DataAccessException e) {
        log.warn("Database error while serving a request: {}", e.getMessage());
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "the database did not answer");
        p.setTitle("Service unavailable");
        return respond(p);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        PayloadLimitFilter.BodyTooLargeException tooLarge = causeOf(e, PayloadLimitFilter.BodyTooLargeException.class);
        if (tooLarge != null) {
            return new ResponseEntity<>(problemOf(new PayloadTooLargeException(tooLarge.limit())), problemHeaders(),
                    HttpStatus.CONTENT_TOO_LARGE);
        }
        ProblemDetail p = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
        p.setTitle("Malformed request body");
        DatabindException databind = causeOf(e, DatabindException.class);
        if (databind != null && !databind.getPath().isEmpty()) {
            String field = pathOf(databind);
            p.setDetail("the body does not have the expected shape at '" + field + "'");
            p.setProperty("errors", List.of(new FieldError(field, "has the wrong type or is missing")));
        } else {
            p.setDetail("the body is not valid JSON or not of the expected shape");
        }
        return new ResponseEntity<>(p, problemHeaders(), HttpStatus.BAD_REQUEST);
    }

    /** Every error answer is problem+json, including those built by Spring MVC. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response == null || !(response.getBody() instanceof ProblemDetail)) {
            return response;
        }
        HttpHeaders merged = new HttpHeaders();
        merged.putAll(response.getHeaders());
        merged.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(response.getBody(), merged, response.getStatusCode());
    }

    /** Anything else is a defect of the orchestrator. */
    @ExceptionHandler(RuntimeException.class)
    public ResponseEntity<ProblemDetail> unexpected(RuntimeException e) {
        return unexpectedAnswer(e);
    }

    private static ResponseEntity<ProblemDetail> unexpectedAnswer(Exception e) {
        log.error("Unexpected error while serving a request", e);
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "unexpected error");
        p.setTitle("Internal server error");
        return respond(p);
    }

    static ProblemDetail problemOf(ProblemException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        p.setTitle(e.title());
        if (!e.errors().isEmpty()) {
            p.setProperty("errors", e.errors());
        }
        return p;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail p) {
        return ResponseEntity.status(p.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    private static HttpHeaders problemHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return headers;
    }

    private static String pathOf(DatabindException e) {
        List<String> parts = new ArrayList<>();
        e.getPath().forEach(ref -> parts.add(ref.getPropertyName() != null ? ref.getPropertyName()
                : "[" + ref.getIndex() + "]"));
        return String.join(".", parts).replace(".[", "[");
    }

    private static <T extends Throwable> T causeOf(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
