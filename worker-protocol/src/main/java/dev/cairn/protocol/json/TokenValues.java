package dev.cairn.protocol.json;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;

/**
 * The next value of a token stream as a field of a protocol record, as leniently as a mapper binding the record
 * would take it: null for {@code null}, scalars where text is expected as their text, numbers given as strings,
 * timestamps as ISO-8601 text (any offset) or as epoch seconds.
 */
final class TokenValues {

    private TokenValues() {
    }

    /** The next value as text: a string, or the text of a number or boolean; null for {@code null}. */
    static String text(JsonParser p) {
        JsonToken token = p.nextToken();
        if (token == JsonToken.VALUE_STRING) {
            return p.getString();
        }
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != null && token.isScalarValue()) {
            return p.getString();
        }
        throw new StreamReadException(p, "Expected text for '" + p.currentName() + "', found " + token);
    }

    /** The next value as an enum constant named by its text; null for {@code null} or an empty text. */
    static <E extends Enum<E>> E constant(JsonParser p, Class<E> type, String what) {
        String text = text(p);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Enum.valueOf(type, text);
        } catch (IllegalArgumentException e) {
            throw new StreamReadException(p, "Unknown " + what + " '" + text + "'");
        }
    }

    /** The next value as a whole number (also given as text); null for {@code null} or an empty text. */
    static Integer integer(JsonParser p) {
        JsonToken token = p.nextToken();
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return p.getIntValue();
        }
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token == JsonToken.VALUE_STRING) {
            String text = p.getString().trim();
            if (text.isEmpty()) {
                return null;
            }
            try {
                return Integer.valueOf(text);
            } catch (NumberFormatException e) {
                throw new StreamReadException(p, "Not an integer for '" + p.currentName() + "': " + text);
            }
        }
        throw new StreamReadException(p, "Expected an integer for '" + p.currentName() + "', found " + token);
    }

    /** The next value as a timestamp: ISO-8601 text or epoch seconds; null for {@code null} or an empty text. */
    static Instant instant(JsonParser p) {
        JsonToken token = p.nextToken();
        if (token == JsonToken.VALUE_STRING) {
            String text = p.getString();
            try {
                return IsoInstants.parse(text);
            } catch (DateTimeException e) {
                throw new StreamReadException(p, "Not an ISO-8601 timestamp for '" + p.currentName() + "': " + text);
            }
        }
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            BigDecimal seconds = p.getDecimalValue();
            try {
                return Instant.ofEpochSecond(seconds.longValue(),
                        seconds.subtract(new BigDecimal(seconds.toBigInteger())).movePointRight(9).intValue());
            } catch (ArithmeticException | DateTimeException e) {
                throw new StreamReadException(p, "Timestamp out of range for '" + p.currentName() + "': " + seconds);
            }
        }
        throw new StreamReadException(p, "Expected a timestamp for '" + p.currentName() + "', found " + token);
    }

    /** Skips the next value, whatever it holds. */
    static void skip(JsonParser p) {
        p.nextToken();
        p.skipChildren();
    }

    static void expect(JsonParser p, JsonToken expected, String what) {
        if (p.currentToken() != expected) {
            throw new StreamReadException(p, "Expected " + what + ", found " + p.currentToken());
        }
    }
}
