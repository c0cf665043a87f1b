package dev.cairn.orchestrator.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import tools.jackson.core.JacksonException;
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

    public JsonBody(JsonMapper mapper, Class<T> type) {
        this.reader = mapper.readerFor(type);
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
            value = charset == null ? reader.readValue(request.getInputStream())
                    : reader.readValue(new InputStreamReader(request.getInputStream(), charset));
        } catch (JacksonException e) {
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
