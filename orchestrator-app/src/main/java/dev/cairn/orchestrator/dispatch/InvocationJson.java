package dev.cairn.orchestrator.dispatch;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.OperationRecord;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an {@link Invocation} as the worker protocol's JSON with a token stream instead of data binding. An
 * invocation carries the execution's whole operation log, and for long executions (tens of thousands of
 * operations) binding every {@link OperationRecord} through the record serializer, with each {@link Instant}
 * formatted by a {@code DateTimeFormatter}, cost more than reading the log from the database.
 *
 * <p>The document is the one the protocol mapper would write, except that null fields are left out (readers take an
 * absent field as null): operation ids, names and results of a long log are short, and the many nulls of a typical
 * record (parent, error, scheduled end, next attempt, callback, child) were a third of its bytes. Timestamps are
 * ISO-8601 UTC as {@link Instant#toString()} writes them.
 */
final class InvocationJson {

    private final JsonMapper mapper;

    InvocationJson(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** The invocation as UTF-8 JSON. */
    byte[] write(Invocation invocation) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512 + invocation.operations().size() * 192);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            string(g, "executionId", invocation.executionId());
            string(g, "invocationToken", invocation.invocationToken());
            string(g, "workflow", invocation.workflow());
            string(g, "version", invocation.version());
            string(g, "input", invocation.input());
            instant(g, "executionStartedAt", invocation.executionStartedAt());
            g.writeName("operations");
            g.writeStartArray();
            for (OperationRecord operation : invocation.operations()) {
                operation(g, operation);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void operation(JsonGenerator g, OperationRecord o) {
        g.writeStartObject();
        string(g, "id", o.id());
        string(g, "parentId", o.parentId());
        if (o.type() != null) {
            g.writeStringProperty("type", o.type().name());
        }
        string(g, "subType", o.subType());
        string(g, "name", o.name());
        if (o.status() != null) {
            g.writeStringProperty("status", o.status().name());
        }
        if (o.attempt() != null) {
            g.writeNumberProperty("attempt", o.attempt());
        }
        instant(g, "startedAt", o.startedAt());
        instant(g, "endedAt", o.endedAt());
        string(g, "result", o.result());
        ErrorInfo error = o.error();
        if (error != null) {
            g.writeName("error");
            g.writeStartObject();
            string(g, "type", error.type());
            string(g, "message", error.message());
            string(g, "data", error.data());
            g.writeEndObject();
        }
        instant(g, "scheduledEndAt", o.scheduledEndAt());
        instant(g, "nextAttemptAt", o.nextAttemptAt());
        string(g, "callbackId", o.callbackId());
        string(g, "childExecutionId", o.childExecutionId());
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, String name, String value) {
        if (value != null) {
            g.writeStringProperty(name, value);
        }
    }

    private static void instant(JsonGenerator g, String name, Instant value) {
        if (value != null) {
            g.writeStringProperty(name, iso(value));
        }
    }

    /**
     * {@link Instant#toString()} (ISO-8601 UTC, fraction in groups of three digits, none when zero), formatted by
     * hand for the years 0–9999.
     */
    static String iso(Instant instant) {
        long seconds = instant.getEpochSecond();
        long epochDay = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        // civil date from days since 1970-01-01 (Howard Hinnant's algorithm)
        long z = epochDay + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            return instant.toString();
        }
        int nanos = instant.getNano();
        char[] c = new char[30];
        put(c, 0, (int) year, 4);
        c[4] = '-';
        put(c, 5, month, 2);
        c[7] = '-';
        put(c, 8, day, 2);
        c[10] = 'T';
        put(c, 11, secondOfDay / 3_600, 2);
        c[13] = ':';
        put(c, 14, secondOfDay / 60 % 60, 2);
        c[16] = ':';
        put(c, 17, secondOfDay % 60, 2);
        int n = 19;
        if (nanos != 0) {
            c[n++] = '.';
            if (nanos % 1_000_000 == 0) {
                put(c, n, nanos / 1_000_000, 3);
                n += 3;
            } else if (nanos % 1_000 == 0) {
                put(c, n, nanos / 1_000, 6);
                n += 6;
            } else {
                put(c, n, nanos, 9);
                n += 9;
            }
        }
        c[n++] = 'Z';
        return new String(c, 0, n);
    }

    private static void put(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
