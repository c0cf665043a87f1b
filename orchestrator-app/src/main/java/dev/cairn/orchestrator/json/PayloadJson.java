package dev.cairn.orchestrator.json;

import dev.cairn.api.ErrorInfo;
import java.time.Instant;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

/**
 * Writes the small JSON documents the orchestrator stores itself (history details, errors). Payloads that come
 * from workers are embedded as raw JSON text and never parsed, except an error's {@code data}, which is checked
 * once when the error is stored so that a stored error is always valid JSON.
 */
@Component
public class PayloadJson {

    private final JsonMapper mapper;

    public PayloadJson(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** A JSON object of the given key/value pairs; null values are left out; {@link RawJson} is embedded as is. */
    public String object(Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs");
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            put(node, (String) keyValues[i], keyValues[i + 1]);
        }
        return mapper.writeValueAsString(node);
    }

    /** The stored form of an error: {@code {"type","message","data"}} with {@code data} embedded as JSON. */
    public String error(ErrorInfo error) {
        if (error == null) {
            return null;
        }
        return object("type", error.type(), "message", error.message(), "data", dataOf(error.data()));
    }

    /** Reads a stored error back (for invocations sent to workers). */
    public ErrorInfo errorInfo(String stored) {
        if (stored == null) {
            return null;
        }
        JsonNode node = mapper.readTree(stored);
        JsonNode data = node.get("data");
        String message = node.hasNonNull("message") ? node.get("message").asString() : null;
        String dataText = data == null || data.isNull() ? null : mapper.writeValueAsString(data);
        String type = node.hasNonNull("type") ? node.get("type").asString() : "java.lang.Exception";
        return new ErrorInfo(type, message, dataText);
    }

    /** Parses JSON text (control-plane reads only, never on the hot path). */
    public JsonNode parse(String json) {
        return json == null ? null : mapper.readTree(json);
    }

    /**
     * Whether two JSON texts hold the same value, compared as parsed trees (member order and whitespace do not
     * count); null (no value) equals only null. Control-plane reads only, never on the hot path.
     */
    public boolean sameValue(String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.equals(b) || mapper.readTree(a).equals(mapper.readTree(b));
    }

    /** Writes a parsed tree back as compact JSON text. */
    public String write(JsonNode node) {
        return mapper.writeValueAsString(node);
    }

    /**
     * A worker's JSON text to embed in a document being written: as JSON when it is JSON, else as a string (so the
     * document stays valid); null stays null.
     */
    public Object embed(String json) {
        return dataOf(json);
    }

    private Object dataOf(String data) {
        if (data == null) {
            return null;
        }
        try {
            mapper.readTree(data);
            return new RawJson(data);
        } catch (JacksonException notJson) {
            return data;
        }
    }

    private static void put(ObjectNode node, String key, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof RawJson raw) {
            node.putRawValue(key, new RawValue(raw.text()));
        } else if (value instanceof String s) {
            node.put(key, s);
        } else if (value instanceof Integer i) {
            node.put(key, i);
        } else if (value instanceof Long l) {
            node.put(key, l);
        } else if (value instanceof Boolean b) {
            node.put(key, b);
        } else if (value instanceof Instant t) {
            node.put(key, t.toString());
        } else {
            node.put(key, value.toString());
        }
    }
}
