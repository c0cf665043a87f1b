package dev.cairn.worker.replay;

import dev.cairn.api.SerializationException;
import dev.cairn.api.Serdes;
import java.lang.reflect.Type;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** The default {@link Serdes}: JSON through a Jackson {@link JsonMapper}. A null value is the JSON {@code null}. */
public final class JsonSerdes implements Serdes {

    private final JsonMapper mapper;

    public JsonSerdes(JsonMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** A serdes over a mapper with Jackson's defaults. */
    public static JsonSerdes withDefaults() {
        return new JsonSerdes(JsonMapper.builder().build());
    }

    /** The mapper, for engine data that is JSON whatever the worker's serdes is. */
    JsonMapper mapper() {
        return mapper;
    }

    @Override
    public String serialize(Object value, Type type) {
        try {
            if (value == null || type == null || type == Object.class) {
                return mapper.writeValueAsString(value);
            }
            return mapper.writerFor(mapper.constructType(type)).writeValueAsString(value);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new SerializationException("Could not serialize a value of " + typeName(type, value) + ": "
                    + reason(e), null, null, e);
        }
    }

    @Override
    public Object deserialize(String data, Type type) {
        if (data == null) {
            return null;
        }
        try {
            return mapper.readValue(data, mapper.constructType(type == null ? Object.class : type));
        } catch (JacksonException | IllegalArgumentException e) {
            throw new SerializationException("Could not deserialize " + typeName(type, null) + ": "
                    + reason(e), null, null, e);
        }
    }

    private static String reason(RuntimeException e) {
        return e instanceof JacksonException jackson ? jackson.getOriginalMessage() : e.getMessage();
    }

    private static String typeName(Type type, Object value) {
        if (type != null) {
            return type.getTypeName();
        }
        return value == null ? "null" : value.getClass().getName();
    }
}
