package dev.cairn.orchestrator.waiting;

import dev.cairn.orchestrator.api.InvalidRequestException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code wait} query parameter: a duration with a unit ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}) or in
 * ISO-8601 ({@code PT30S}). A bare number is refused (seconds or milliseconds?), as are negative durations; zero asks
 * for no wait at all.
 */
public final class WaitDuration {

    /** The parameter's name, as errors name it. */
    public static final String PARAMETER = "wait";

    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
    private static final String EXPECTED = "must be a duration such as 500ms, 30s, 2m or PT30S";

    private WaitDuration() {
    }

    /**
     * Parses {@code text}, cut to {@code max}.
     *
     * @throws InvalidRequestException naming the parameter when it is not a duration or is negative
     */
    public static Duration parse(String text, Duration max) {
        Duration wait = parse(text);
        return wait.compareTo(max) > 0 ? max : wait;
    }

    private static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidRequestException(PARAMETER, EXPECTED);
        }
        String value = text.trim();
        if (value.startsWith("-")) {
            throw new InvalidRequestException(PARAMETER, "must not be negative");
        }
        Matcher simple = SIMPLE.matcher(value.toLowerCase(Locale.ROOT));
        if (simple.matches()) {
            long amount = Long.parseLong(simple.group(1));
            return switch (simple.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        if (value.length() > 1 && (value.charAt(0) == 'P' || value.charAt(0) == 'p')) {
            Duration iso;
            try {
                iso = Duration.parse(value);
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new InvalidRequestException(PARAMETER, EXPECTED);
            }
            if (iso.isNegative()) {
                throw new InvalidRequestException(PARAMETER, "must not be negative");
            }
            return iso;
        }
        throw new InvalidRequestException(PARAMETER, EXPECTED);
    }
}
