package dev.cairn.orchestrator.api;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** Writes an RFC 9457 problem from a servlet filter, before Spring MVC is involved. */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    /** Writes {@code {"type","title","status","detail","instance"}} as {@code application/problem+json}. */
    public static void write(HttpServletResponse response, HttpStatus status, String title, String detail,
            String instance) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(body(status.value(), title, detail, instance).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code {"type","title","status","detail","instance"?}} as JSON text; a null instance is left out. */
    static String body(int status, String title, String detail, String instance) {
        return "{\"type\":\"about:blank\",\"title\":" + quote(title) + ",\"status\":" + status
                + ",\"detail\":" + quote(detail) + (instance == null ? "" : ",\"instance\":" + quote(instance)) + "}";
    }

    /** A JSON string literal. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
