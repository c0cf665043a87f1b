package dev.cairn.worker.invocation;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an {@link Invocation} from its JSON with a token stream instead of data binding: an invocation carries the
 * whole operation log (tens of thousands of records for long executions), and binding each record through a
 * creator, with an {@link Instant} parsed by a {@link DateTimeFormatter} per timestamp, was most of the time a
 * resumed execution spent before its handler ran.
 *
 * <p>Accepts what the protocol mapper would: fields in any order, absent or {@code null} fields as null (an absent
 * {@code operations} as none), unknown fields skipped, scalars where text is expected taken as their text, numbers
 * given as strings, timestamps as ISO-8601 text (any offset) or as epoch seconds. Anything else — malformed JSON,
 * an unknown operation type or status, an attempt that is not a whole number, an error without a type, content
 * after the invocation — is a {@link JacksonException}.
 */
final class InvocationReader {

    private final ObjectReader json;

    InvocationReader(JsonMapper json) {
        this.json = json.reader().without(StreamReadFeature.AUTO_CLOSE_SOURCE);
    }

    /** The invocation in {@code body}, or null when the body is the JSON {@code null}. */
    Invocation read(byte[] body) {
        return read(json.createParser(body));
    }

    /**
     * The invocation read from {@code body} as it arrives (parsing overlaps receiving), or null when the body is the
     * JSON {@code null}. Does not close the stream.
     */
    Invocation read(InputStream body) {
        return read(json.createParser(body));
    }

    private static Invocation read(JsonParser parser) {
        try (JsonParser p = parser) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new StreamReadException(p, "No content: expected an invocation object");
            }
            Invocation invocation = first == JsonToken.VALUE_NULL ? null : invocation(p);
            if (p.nextToken() != null) {
                throw new StreamReadException(p, "Unexpected content after the invocation: " + p.currentToken());
            }
            return invocation;
        }
    }

    private static Invocation invocation(JsonParser p) {
        expect(p, JsonToken.START_OBJECT, "an invocation object");
        String executionId = null;
        String invocationToken = null;
        String workflow = null;
        String version = null;
        String input = null;
        List<OperationRecord> operations = null;
        Instant executionStartedAt = null;
        String name;
        while ((name = p.nextName()) != null) {
            switch (name) {
                case "executionId" -> executionId = text(p);
                case "invocationToken" -> invocationToken = text(p);
                case "workflow" -> workflow = text(p);
                case "version" -> version = text(p);
                case "input" -> input = text(p);
                case "operations" -> operations = operations(p);
                case "executionStartedAt" -> executionStartedAt = instant(p);
                default -> skip(p);
            }
        }
        expectEndObject(p);
        return new Invocation(executionId, invocationToken, workflow, version, input, operations, executionStartedAt);
    }

    private static List<OperationRecord> operations(JsonParser p) {
        JsonToken token = p.nextToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, JsonToken.START_ARRAY, "an array of operations");
        List<OperationRecord> operations = new ArrayList<>();
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                throw new StreamReadException(p, "Unexpected end of input in the operations");
            }
            operations.add(operation(p));
        }
        return operations;
    }

    private static OperationRecord operation(JsonParser p) {
        expect(p, JsonToken.START_OBJECT, "an operation object");
        String id = null;
        String parentId = null;
        OperationType type = null;
        String subType = null;
        String opName = null;
        OperationStatus status = null;
        Integer attempt = null;
        Instant startedAt = null;
        Instant endedAt = null;
        String result = null;
        ErrorInfo error = null;
        Instant scheduledEndAt = null;
        Instant nextAttemptAt = null;
        String callbackId = null;
        String childExecutionId = null;
        String name;
        while ((name = p.nextName()) != null) {
            switch (name) {
                case "id" -> id = text(p);
                case "parentId" -> parentId = text(p);
                case "type" -> type = type(p);
                case "subType" -> subType = text(p);
                case "name" -> opName = text(p);
                case "status" -> status = status(p);
                case "attempt" -> attempt = integer(p);
                case "startedAt" -> startedAt = instant(p);
                case "endedAt" -> endedAt = instant(p);
                case "result" -> result = text(p);
                case "error" -> error = error(p);
                case "scheduledEndAt" -> scheduledEndAt = instant(p);
                case "nextAttemptAt" -> nextAttemptAt = instant(p);
                case "callbackId" -> callbackId = text(p);
                case "childExecutionId" -> childExecutionId = text(p);
                default -> skip(p);
            }
        }
        expectEndObject(p);
        return new OperationRecord(id, parentId, type, subType, opName, status, attempt, startedAt, endedAt, result,
                error, scheduledEndAt, nextAttemptAt, callbackId, childExecutionId);
    }

    private static ErrorInfo error(JsonParser p) {
        JsonToken token = p.nextToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, JsonToken.START_OBJECT, "an error object");
        String type = null;
        String message = null;
        String data = null;
        String name;
        while ((name = p.nextName()) != null) {
            switch (name) {
                case "type" -> type = text(p);
                case "message" -> message = text(p);
                case "data" -> data = text(p);
                default -> skip(p);
            }
        }
        expectEndObject(p);
        try {
            return new ErrorInfo(type, message, data);
        } catch (IllegalArgumentException e) {
            throw new StreamReadException(p, "Invalid error: " + e.getMessage());
        }
    }

    private static OperationType type(JsonParser p) {
        String text = text(p);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return OperationType.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new StreamReadException(p, "Unknown operation type '" + text + "'");
        }
    }

    private static OperationStatus status(JsonParser p) {
        String text = text(p);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return OperationStatus.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new StreamReadException(p, "Unknown operation status '" + text + "'");
        }
    }

    /** The next value as text: a string, or the text of a number or boolean; null for {@code null}. */
    private static String text(JsonParser p) {
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

    private static Integer integer(JsonParser p) {
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

    private static Instant instant(JsonParser p) {
        JsonToken token = p.nextToken();
        if (token == JsonToken.VALUE_STRING) {
            String text = p.getString();
            try {
                return parseInstant(text);
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

    /**
     * Parses an ISO-8601 timestamp. The form the orchestrator writes ({@code 2026-01-31T23:59:59.123456Z}: UTC,
     * zero to nine fraction digits) is parsed by hand; any other form (an offset, a leap second, a year beyond
     * 9999) goes through {@link DateTimeFormatter}. An empty text is null.
     *
     * @throws DateTimeException when the text is not a timestamp
     */
    static Instant parseInstant(String text) {
        if (text.isEmpty()) {
            return null;
        }
        Instant fast = utc(text);
        if (fast != null) {
            return fast;
        }
        try {
            return DateTimeFormatter.ISO_INSTANT.parse(text, Instant::from);
        } catch (DateTimeException e) {
            return OffsetDateTime.parse(text).toInstant();
        }
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f…]Z} by hand, or null when the text has any other form.
     *
     * @throws DateTimeException for a day the month does not have
     */
    private static Instant utc(String s) {
        int n = s.length();
        if (n < 20 || n == 21 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            if (s.charAt(19) != '.') {
                return null;
            }
            int fraction = digits(s, 20, n - 1);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = n - 1 - 20; i < 9; i++) {
                nanos *= 10;
            }
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number in {@code s[from, to)}, or -1 when a character is not a digit. */
    private static int digits(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    private static void skip(JsonParser p) {
        p.nextToken();
        p.skipChildren();
    }

    private static void expect(JsonParser p, JsonToken expected, String what) {
        if (p.currentToken() != expected) {
            throw new StreamReadException(p, "Expected " + what + ", found " + p.currentToken());
        }
    }

    private static void expectEndObject(JsonParser p) {
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new StreamReadException(p, "Expected the end of an object, found " + p.currentToken());
        }
    }
}
