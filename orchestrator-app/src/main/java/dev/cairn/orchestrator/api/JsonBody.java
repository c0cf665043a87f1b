package dev.cairn.orchestrator.api;

import dev.cairn.orchestrator.json.UnicodeText;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.util.JsonParserDelegate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads JSON request bodies of one type with an {@link ObjectReader} built once, for the endpoints served on every
 * step (no message-converter lookup per request). A body that cannot be read fails exactly as through Spring MVC's
 * converter, with {@link HttpMessageNotReadableException}, so that {@link ProblemHandler} answers it the same way
 * ({@code 400}, or {@code 413} over the limit). Answers are written as bytes, without content negotiation.
 */
public final class JsonBody<T> {

    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

    private final ObjectReader reader;
    private final Set<String> jsonTextFields;

    public JsonBody(JsonMapper mapper, Class<T> type) {
        this(mapper, type, Set.of());
    }

    /**
     * @param jsonTextFields names of the string fields that carry JSON text (payloads): a lone surrogate written as
     *     a {@code \\uXXXX} escape inside them is refused too
     */
    public JsonBody(JsonMapper mapper, Class<T> type, Set<String> jsonTextFields) {
        this.reader = mapper.readerFor(type);
        this.jsonTextFields = jsonTextFields == null ? null : Set.copyOf(jsonTextFields);
    }

    /**
     * A reader that does not look into strings, for an envelope whose parts are checked one by one afterwards
     * ({@link #read(JsonNode)}), so that one bad part is refused alone.
     */
    public static <T> JsonBody<T> envelope(JsonMapper mapper, Class<T> type) {
        return new JsonBody<>(mapper, type, null);
    }

    /**
     * A part of a body, read as a tree, as a {@code T}, with the same checks as a whole body.
     *
     * @throws JacksonException when it does not have the expected shape
     * @throws InvalidRequestException when a string holds a lone surrogate (the field is relative to the part)
     */
    public T read(JsonNode tree) {
        try (JsonParser checked = checking(reader.treeAsTokens(tree))) {
            return reader.readValue(checked);
        } catch (JacksonException e) {
            InvalidRequestException notUnicode = causeOf(e, InvalidRequestException.class);
            if (notUnicode != null) {
                throw notUnicode;
            }
            throw e;
        }
    }

    private JsonParser checking(JsonParser parser) {
        return jsonTextFields == null ? parser : new UnicodeCheckingParser(parser, jsonTextFields);
    }

    /**
     * The body as a {@code T}.
     *
     * @throws HttpMessageNotReadableException when it is missing, not JSON, not of the expected shape or too large
     */
    public T read(HttpServletRequest request) {
        T value;
        try {
            Charset charset = declaredCharset(request);
            JsonParser parser = charset == null ? reader.createParser(request.getInputStream())
                    : reader.createParser(new InputStreamReader(request.getInputStream(), charset));
            try (JsonParser checked = checking(parser)) {
                value = reader.readValue(checked);
            }
        } catch (JacksonException e) {
            InvalidRequestException notUnicode = causeOf(e, InvalidRequestException.class);
            if (notUnicode != null) {
                throw notUnicode;
            }
            throw new HttpMessageNotReadableException("JSON parse error: " + e.getOriginalMessage(), e,
                    new ServletServerHttpRequest(request));
        } catch (IOException e) {
            throw new HttpMessageNotReadableException("I/O error while reading the request body", e,
                    new ServletServerHttpRequest(request));
        }
        if (value == null) {
            throw new HttpMessageNotReadableException("Required request body is missing",
                    new ServletServerHttpRequest(request));
        }
        return value;
    }

    /**
     * The charset the {@code Content-Type} names when Jackson cannot detect it from the bytes (not UTF-8, -16 or
     * -32), as Spring's converter reads it; null to let Jackson detect it.
     */
    private static Charset declaredCharset(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).contains("charset")) {
            return null;
        }
        Charset charset;
        try {
            charset = MediaType.parseMediaType(contentType).getCharset();
        } catch (IllegalArgumentException e) {
            throw new HttpMessageNotReadableException("Unsupported charset in " + contentType, e,
                    new ServletServerHttpRequest(request));
        }
        if (charset == null || charset.name().startsWith("UTF-")) {
            return null;
        }
        return charset;
    }

    private static <E extends Throwable> E causeOf(Throwable t, Class<E> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /**
     * Refuses a string value that holds a lone UTF-16 surrogate (and, in the JSON-text fields, one written as an
     * escape), as it is read: such text cannot be stored and answered back as JSON.
     */
    private static final class UnicodeCheckingParser extends JsonParserDelegate {

        private final Set<String> jsonTextFields;

        UnicodeCheckingParser(JsonParser parser, Set<String> jsonTextFields) {
            super(parser);
            this.jsonTextFields = jsonTextFields;
        }

        @Override
        public String getString() {
            return checked(super.getString());
        }

        @Override
        public String getValueAsString() {
            return checked(super.getValueAsString());
        }

        @Override
        public String getValueAsString(String defaultValue) {
            return checked(super.getValueAsString(defaultValue));
        }

        private String checked(String value) {
            if (value == null || !hasToken(JsonToken.VALUE_STRING)) {
                return value;
            }
            boolean jsonText = currentName() != null && jsonTextFields.contains(currentName());
            int at = jsonText ? UnicodeText.loneSurrogateInJsonAt(value) : UnicodeText.loneSurrogateAt(value);
            if (at >= 0) {
                throw new InvalidRequestException(field(streamReadContext().pathAsPointer().toString()), UnicodeText.problem());
            }
            return value;
        }

        /** {@code /updates/0/payload} as {@code updates[0].payload}. */
        private static String field(String pointer) {
            StringBuilder field = new StringBuilder();
            for (String part : pointer.split("/")) {
                if (part.isEmpty()) {
                    continue;
                }
                String name = part.replace("~1", "/").replace("~0", "~");
                if (name.chars().allMatch(Character::isDigit)) {
                    field.append('[').append(name).append(']');
                } else {
                    field.append(field.isEmpty() ? "" : ".").append(name);
                }
            }
            return field.isEmpty() ? "body" : field.toString();
        }
    }

    /** Answers {@code 200 {}} ({@code application/json}), written as constant bytes. */
    public static void writeEmptyObject(HttpServletResponse response) throws IOException {
        writeOk(response, EMPTY_OBJECT);
    }

    /** Answers {@code 200} with {@code json} ({@code application/json}). */
    public static void writeOk(HttpServletResponse response, byte[] json) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }
}
