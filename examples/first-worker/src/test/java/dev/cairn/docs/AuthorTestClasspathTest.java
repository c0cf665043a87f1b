package dev.cairn.docs;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A workflow author's test classpath (this project depends on src-test-fixtures as the page says) holds the kit,
 * not the PostgreSQL that the project's own tests use: no JDBC driver, no Flyway, no embedded server, no
 * Testcontainers, no schema, no orchestrator. Those come with the opt-in src-test-postgres
 * ({@code PostgresModuleClasspathTest} there).
 */
class AuthorTestClasspathTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "org.postgresql.Driver",
        "org.flywaydb.core.Flyway",
        "io.zonky.test.db.postgres.embedded.EmbeddedPostgres",
        "org.testcontainers.postgresql.PostgreSQLContainer",
        "org.testcontainers.DockerClientFactory",
        "dev.cairn.orchestrator.CairnOrchestratorApplication",
        "dev.cairn.testing.postgres.PostgresDurableStore"
    })
    void theKitBringsNoDatabase(String className) {
        assertThatThrownBy(() -> Class.forName(className)).isInstanceOf(ClassNotFoundException.class);
    }

    @org.junit.jupiter.api.Test
    void theKitBringsNoSchema() {
        org.assertj.core.api.Assertions.assertThat(getClass().getClassLoader().getResource("db/migration")).isNull();
    }
}
