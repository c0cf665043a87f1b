package dev.cairn.orchestrator.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;
import org.springframework.jdbc.support.SqlValue;

/**
 * A checkpoint statement parsed once (at class load) from its named form into the positional form JDBC runs, so
 * that binding a request's values costs no parsing; run on the connection of the group commit's transaction.
 *
 * <p>A null is bound as text ({@code VARCHAR}, the type the driver gives a {@code String}): every value of these
 * statements that may be null is text (timestamps too, cast in SQL). Bound with no type, it would make the driver ask
 * the server for the statement's parameter types first, and remember its answer's row shape; and for a statement whose
 * answer has a text column the driver then sends a lone Sync before each run: a round trip more, each time, on the
 * group commit's one writer.
 */
final class PositionalStatement {

    @FunctionalInterface
    interface ResultReader<T> {

        T read(ResultSet rs) throws SQLException;
    }

    private final ParsedSql parsed;
    private final String sql;

    PositionalStatement(String namedSql) {
        this.parsed = NamedParameterUtils.parseSqlStatement(namedSql);
        this.sql = NamedParameterUtils.substituteNamedParameters(parsed, null);
    }

    Object[] values(MapSqlParameterSource params) {
        return NamedParameterUtils.buildValueArray(parsed, params, null);
    }

    CheckpointStore.Written query(Connection connection, Object[] values) throws SQLException {
        return run(connection, values, rs -> rs.next() ? CheckpointStore.Written.read(rs) : null);
    }

    /** Runs it and answers what each row of its answer says, by execution id. */
    Map<UUID, CheckpointStore.Written> queryAll(Connection connection, Object[] values) throws SQLException {
        return run(connection, values, rs -> {
            Map<UUID, CheckpointStore.Written> written = new HashMap<>();
            while (rs.next()) {
                written.put(rs.getObject("execution_id", UUID.class), CheckpointStore.Written.read(rs));
            }
            return written;
        });
    }

    <T> T run(Connection connection, Object[] values, ResultReader<T> reader) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                Object value = values[i];
                if (value == null) {
                    // as text, the type of every value of these statements that may be null (see the class comment)
                    ps.setNull(i + 1, Types.VARCHAR);
                } else if (value instanceof SqlValue array) {
                    array.setValue(ps, i + 1);
                } else {
                    ps.setObject(i + 1, value);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                return reader.read(rs);
            }
        } finally {
            for (Object value : values) {
                if (value instanceof SqlValue array) {
                    array.cleanup();
                }
            }
        }
    }
}
