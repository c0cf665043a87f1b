package dev.cairn.orchestrator.api;

import java.util.List;
import org.springframework.http.HttpStatus;

/** A request whose fields are invalid: 400 with one entry per field in {@code errors}. */
public class InvalidRequestException extends ProblemException {

    public InvalidRequestException(List<FieldError> errors) {
        super(HttpStatus.BAD_REQUEST, "Invalid request", describe(errors), errors);
    }

    public InvalidRequestException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    private static String describe(List<FieldError> errors) {
        StringBuilder sb = new StringBuilder();
        for (FieldError e : errors) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(e.field()).append(": ").append(e.message());
        }
        return sb.toString();
    }
}
