package dev.cairn.orchestrator.callback;

import dev.cairn.api.ErrorInfo;
import dev.cairn.orchestrator.api.FieldError;
import dev.cairn.orchestrator.api.InvalidRequestException;
import dev.cairn.orchestrator.json.PayloadJson;
import dev.cairn.orchestrator.json.UnicodeText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The client REST API of callbacks: {@code POST /v1/callbacks/{callbackId}/succeed|fail|heartbeat}, each answering
 * {@code 200 {}}. Bodies must be JSON (415 otherwise) and within the payload limit (413).
 */
@RestController
public class CallbackController {

    private final CallbackService service;
    private final PayloadJson json;

    public CallbackController(CallbackService service, PayloadJson json) {
        this.service = service;
        this.json = json;
    }

    /** The body (any JSON; absent or {@code null} = no result) is the callback's result. */
    @PostMapping(path = "/v1/callbacks/{callbackId}/succeed", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> succeed(@PathVariable String callbackId,
            @RequestBody(required = false) JsonNode body) {
        requireUnicode(body);
        service.succeed(callbackId, body == null || body.isNull() || body.isMissingNode() ? null : json.write(body));
        return Map.of();
    }

    /** {@code {"type","message","data"?}}: the callback's error; {@code data} may be any JSON. */
    @PostMapping(path = "/v1/callbacks/{callbackId}/fail", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> fail(@PathVariable String callbackId, @RequestBody(required = false) JsonNode body) {
        requireUnicode(body);
        service.fail(callbackId, errorOf(body));
        return Map.of();
    }

    /** A body holding a lone UTF-16 surrogate could be neither stored as JSON nor sent to a worker: 400. */
    private static void requireUnicode(JsonNode body) {
        String notUnicode = UnicodeText.loneSurrogateIn(body, "body");
        if (notUnicode != null) {
            throw new InvalidRequestException(notUnicode, UnicodeText.problem());
        }
    }

    /** Keeps a callback with a heartbeat timeout alive; any body is ignored. */
    @PostMapping("/v1/callbacks/{callbackId}/heartbeat")
    public Map<String, Object> heartbeat(@PathVariable String callbackId) {
        service.heartbeat(callbackId);
        return Map.of();
    }

    private ErrorInfo errorOf(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException("body", "must be a JSON object {\"type\",\"message\",\"data\"?}");
        }
        List<FieldError> errors = new ArrayList<>();
        JsonNode type = body.get("type");
        if (type == null || !type.isString() || type.asString().isBlank()) {
            errors.add(new FieldError("type", "is required (a non-blank string)"));
        }
        JsonNode message = body.get("message");
        if (message != null && !message.isNull() && !message.isString()) {
            errors.add(new FieldError("message", "must be a string"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        JsonNode data = body.get("data");
        return new ErrorInfo(type.asString(), message == null || message.isNull() ? null : message.asString(),
                data == null || data.isNull() ? null : json.write(data));
    }
}
