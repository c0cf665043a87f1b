package dev.cairn.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL that {@link TestDatabase} uses without {@code CAIRN_TEST_JDBC_URL} starts whatever user
 * runs the tests, root included (many CI containers run as root): the binaries it unpacks from Maven Central start
 * there, unlike a stock PostgreSQL.
 */
class EmbeddedPostgresTest {

    @Test
    void theEmbeddedServerStartsAndAnswersAlsoWhenTheTestsRunAsRoot() throws Exception {
        String url = TestDatabase.embeddedUrl();

        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                ResultSet rs = c.createStatement().executeQuery(
                        "select current_user, current_setting('data_directory')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("postgres");
            assertThat(Path.of(rs.getString(2), "PG_VERSION")).exists();
        }
    }
}
