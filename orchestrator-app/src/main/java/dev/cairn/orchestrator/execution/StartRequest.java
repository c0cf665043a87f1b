package dev.cairn.orchestrator.execution;

import dev.cairn.orchestrator.api.FieldError;
import dev.cairn.orchestrator.api.InvalidRequestException;
import dev.cairn.orchestrator.json.UnicodeText;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /v1/workflows/{workflow}/executions}, validated.
 *
 * @param input the input, null when absent or JSON null
 */
public record StartRequest(JsonNode input, String executionName, String version, Integer timeoutSeconds,
        int retentionDays) {

    static final int DEFAULT_RETENTION_DAYS = 14;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_TIMEOUT_SECONDS = 31_622_400;
    private static final Set<String> FIELDS = Set.of("input", "executionName", "version", "timeoutSeconds",
            "retentionDays");

    /**
     * Reads and validates a request body; every invalid field is reported at once. A field a start request does not
     * have is an error too: the usual one is the workflow's input sent at the top level instead of in {@code input},
     * which would otherwise run the workflow without input.
     */
    public static StartRequest of(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException("body", "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        String notUnicode = UnicodeText.loneSurrogateIn(body, "");
        if (notUnicode != null) {
            // refused before anything is stored: such text could not even be written back in the answer
            errors.add(new FieldError(notUnicode, UnicodeText.problem()));
        }
        for (String field : body.propertyNames()) {
            if (!FIELDS.contains(field)) {
                errors.add(new FieldError(field, "is not a field of a start request (input, executionName, version, "
                        + "timeoutSeconds, retentionDays); the workflow's input goes in \"input\": {\"input\": {…}}"));
            }
        }
        JsonNode input = body.get("input");
        String name = text(body, "executionName", errors);
        if (name != null && !NAME.matcher(name).matches()) {
            errors.add(new FieldError("executionName", "must match [A-Za-z0-9_-]{1,64}"));
        }
        String version = text(body, "version", errors);
        if (version != null && (version.isBlank() || version.length() > 100)) {
            errors.add(new FieldError("version", "must be 1 to 100 characters"));
        }
        Integer timeout = integer(body, "timeoutSeconds", 1, MAX_TIMEOUT_SECONDS, errors);
        Integer retention = integer(body, "retentionDays", 1, 90, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new StartRequest(input == null || input.isNull() ? null : input, name, version, timeout,
                retention == null ? DEFAULT_RETENTION_DAYS : retention);
    }

    private static String text(JsonNode body, String field, List<FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        return node.asString();
    }

    private static Integer integer(JsonNode body, String field, int min, int max, List<FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < min || node.asInt() > max) {
            errors.add(new FieldError(field, "must be an integer from " + min + " to " + max));
            return null;
        }
        return node.asInt();
    }
}
