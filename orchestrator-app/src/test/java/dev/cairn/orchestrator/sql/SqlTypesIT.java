package dev.cairn.orchestrator.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Array literals bound as text come back from PostgreSQL element for element. */
class SqlTypesIT {

    private static TestDatabase db;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(SqlTypesIT.class);
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void textArrayLiteralsRoundTripThroughACastInSql() throws Exception {
        List<String> values = Arrays.asList("plain", "with \"quotes\"", "back\\slash", "NULL", null, "", "{braces},",
                "{\"json\":[1,2]}", "ünïcode ✓", " spaced ");
        assertThat(roundTrip(values)).containsExactlyElementsOf(values);
        assertThat(roundTrip(List.of())).isEmpty();
    }

    @Test
    void theLiteralQuotesEveryElementAndWritesNullBare() {
        assertThat(SqlTypes.textArrayLiteral(List.of())).isEqualTo("{}");
        assertThat(SqlTypes.textArrayLiteral(Arrays.asList("a\"b", null, "c\\d"))).isEqualTo("{\"a\\\"b\",NULL,\"c\\\\d\"}");
    }

    private static List<String> roundTrip(List<String> values) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("select u from unnest(cast(? as text[])) with ordinality"
                        + " as t(u, n) order by n")) {
            ps.setObject(1, SqlTypes.textArrayLiteral(values));
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }
}
