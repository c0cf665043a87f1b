package dev.cairn.orchestrator.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** How the console's templates show times, durations, JSON and statuses ({@code ${@consoleFormat.…}}). */
@Component
public class ConsoleFormat {

    /** JSON longer than this is cut on the page. */
    static final int MAX_JSON = 20_000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final JsonMapper mapper;
    private final Clock clock;

    public ConsoleFormat(JsonMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    /** {@code 2025-01-31 12:00:03.123 UTC}, or a dash. */
    public String time(Instant t) {
        return t == null ? "—" : TIME.format(t);
    }

    /** The ISO-8601 form, for {@code <time datetime>}. */
    public String iso(Instant t) {
        return t == null ? "" : t.toString();
    }

    /** The value of a {@code datetime-local} input (UTC, minutes). */
    public String inputTime(Instant t) {
        return t == null ? "" : INPUT.format(t);
    }

    /** From {@code start} to {@code end}, or to now while it runs. */
    public String duration(Instant start, Instant end) {
        if (start == null) {
            return "—";
        }
        Instant to = end == null ? clock.instant() : end;
        return humanDuration(Duration.between(start, to)) + (end == null ? " so far" : "");
    }

    /** The JSON text indented for reading (cut past {@value #MAX_JSON} characters); not JSON is shown as is. */
    public String json(String raw) {
        if (raw == null) {
            return "";
        }
        String pretty;
        try {
            pretty = mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(raw));
        } catch (JacksonException notJson) {
            pretty = raw;
        }
        return pretty.length() > MAX_JSON ? pretty.substring(0, MAX_JSON) + "\n… (cut: " + pretty.length()
                + " characters in all)" : pretty;
    }

    /** The JSON text on one line, shortened to {@code max} characters. */
    public String jsonLine(String raw, int max) {
        return raw == null ? "" : abbreviate(raw, max);
    }

    /** The CSS class of a status ({@code s-succeeded}, {@code s-failed}, …). */
    public String statusClass(Object status) {
        return "s-" + String.valueOf(status).toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A symbol for a status, so that colour is never the only sign. */
    public String glyph(Object status) {
        return switch (String.valueOf(status)) {
            case "SUCCEEDED" -> "✓";
            case "FAILED", "LOST" -> "✗";
            case "TIMED_OUT" -> "⌛";
            case "STOPPED", "CANCELLED" -> "■";
            case "RUNNING", "STARTED" -> "▶";
            case "PENDING", "READY" -> "…";
            default -> "•";
        };
    }

    /** {@code 850 ms}, {@code 4.2 s}, {@code 3 min 5 s}, {@code 2 h 1 min}, {@code 3 d 4 h}. */
    static String humanDuration(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 1_000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            double s = ms / 1000.0;
            return (s < 10 ? String.format(Locale.ROOT, "%.1f", s) : Long.toString(Math.round(s))) + " s";
        }
        long s = ms / 1000;
        if (s < 3_600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        if (s < 86_400) {
            return s / 3_600 + " h" + (s % 3_600 / 60 == 0 ? "" : " " + s % 3_600 / 60 + " min");
        }
        return s / 86_400 + " d" + (s % 86_400 / 3_600 == 0 ? "" : " " + s % 86_400 / 3_600 + " h");
    }

    /** {@code text} cut to {@code max} characters with an ellipsis. */
    static String abbreviate(String text, int max) {
        if (text == null) {
            return "";
        }
        int limit = Math.max(4, max);
        return text.length() <= limit ? text : text.substring(0, limit - 1) + "…";
    }
}
