package dev.cairn.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class TestDatabaseTest {

    @Test
    void replacesTheDatabaseAndKeepsTheQuery() {
        assertThat(TestDatabase.withDatabase("jdbc:postgresql://127.0.0.1:5432/test?ssl=false", "x"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/x?ssl=false");
        assertThat(TestDatabase.withDatabase("jdbc:postgresql://h/test", "y")).isEqualTo("jdbc:postgresql://h/y");
    }

    @Test
    void createsAMigratedDatabaseAndDropsItOnClose() throws Exception {
        String name;
        try (TestDatabase db = TestDatabase.create(TestDatabaseTest.class)) {
            name = db.name();
            try (Connection c = db.dataSource().getConnection();
                    ResultSet rs = c.createStatement().executeQuery(
                            "select count(*) from information_schema.tables where table_name in"
                                    + " ('executions','operations','history_events','timers','workers')")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(5);
            }
        }
        try (TestDatabase other = TestDatabase.create("probe", false);
                Connection c = other.dataSource().getConnection();
                ResultSet rs = c.createStatement().executeQuery(
                        "select count(*) from pg_database where datname = '" + name + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }
}
