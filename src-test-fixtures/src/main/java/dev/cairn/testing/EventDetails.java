package dev.cairn.testing;

import dev.cairn.api.ErrorInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The details of history events, as the orchestrator writes them (null values left out). */
final class EventDetails {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EventDetails() {
    }

    /** Details from key/value pairs; null values are left out (as the orchestrator strips them). */
    static Map<String, Object> of(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                map.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return map;
    }

    static Map<String, Object> error(ErrorInfo error) {
        if (error == null) {
            return null;
        }
        return of("type", error.type(), "message", error.message(), "data", parse(error.data()));
    }

    /** JSON text as a value (maps, lists, …), or the text itself when it is not JSON. */
    static Object parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, Object.class);
        } catch (RuntimeException e) {
            return json;
        }
    }

    static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
