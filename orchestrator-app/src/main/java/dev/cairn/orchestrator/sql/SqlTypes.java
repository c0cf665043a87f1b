package dev.cairn.orchestrator.sql;

import dev.cairn.protocol.json.IsoInstants;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.UUID;
import org.springframework.jdbc.support.SqlArrayValue;

/** Conversions between Java values and the JDBC forms the stores bind and read. */
public final class SqlTypes {

    private SqlTypes() {
    }

    /** An instant as a {@code timestamptz} parameter (null stays null). */
    public static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** Reads a {@code timestamptz} column. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /**
     * ISO-8601 text of an instant, for {@code timestamptz[]} parameters: {@link Instant#toString()}'s text, formatted
     * without a {@code DateTimeFormatter} (a checkpoint binds several per operation; formatting was 2.5 % of the
     * orchestrator's CPU samples with 32 clients).
     */
    public static String text(Instant instant) {
        return instant == null ? null : IsoInstants.format(instant);
    }

    /** A {@code text[]} parameter (elements may be null); cast it in SQL to other array types as needed. */
    public static SqlArrayValue textArray(Collection<String> values) {
        return new SqlArrayValue("text", values.toArray());
    }

    /**
     * A {@code text[]} parameter as the text of an array literal ({@code {"a","b",NULL}}), bound as a plain string
     * and turned into an array by the statement's own {@code cast(? as text[])}. Cheaper to bind than
     * {@link #textArray}, which the driver encodes at bind time: it can be built ahead, off the connection.
     */
    public static String textArrayLiteral(Collection<String> values) {
        if (values.isEmpty()) {
            return "{}";
        }
        StringBuilder sb = new StringBuilder(16 * values.size() + 2).append('{');
        boolean first = true;
        for (String v : values) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            if (v == null) {
                sb.append("NULL");
                continue;
            }
            sb.append('"');
            for (int i = 0; i < v.length(); i++) {
                char ch = v.charAt(i);
                if (ch == '"' || ch == '\\') {
                    sb.append('\\');
                }
                sb.append(ch);
            }
            sb.append('"');
        }
        return sb.append('}').toString();
    }

    /** The UUID in {@code s}, or null when it is not one. */
    public static UUID uuidOrNull(String s) {
        if (s == null || s.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
