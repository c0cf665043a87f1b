package dev.cairn.testing.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What this module brings to a test classpath that the kit alone does not (examples/first-worker's
 * {@code AuthorTestClasspathTest}): the PostgreSQL driver, Flyway, the embedded server, Testcontainers' PostgreSQL,
 * the schema and the orchestrator, all in compile scope so that an author's test scope gets them.
 */
class PostgresModuleClasspathTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "org.postgresql.Driver",
        "org.flywaydb.core.Flyway",
        "org.flywaydb.database.postgresql.PostgreSQLDatabaseType",
        "io.zonky.test.db.postgres.embedded.EmbeddedPostgres",
        "org.testcontainers.postgresql.PostgreSQLContainer",
        "dev.cairn.orchestrator.CairnOrchestratorApplication",
        "dev.cairn.worker.replay.ReplayEngine"
    })
    void bringsWhatTheStoreNeeds(String className) throws ClassNotFoundException {
        assertThat(Class.forName(className)).isNotNull();
    }

    @org.junit.jupiter.api.Test
    void bringsTheSchema() {
        assertThat(getClass().getClassLoader().getResource("db/migration/V1__create_core_tables.sql")).isNotNull();
    }
}
