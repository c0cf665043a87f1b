package dev.cairn.testing;

import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Where the PostgreSQL server of {@link TestDatabase} comes from, in the order a Spring developer expects: the
 * server named by {@code CAIRN_TEST_JDBC_URL}, else a Testcontainers container when a Docker engine answers, else an
 * embedded server.
 */
enum TestServerSource {

    /** The server of {@code CAIRN_TEST_JDBC_URL}. */
    CONFIGURED("the server of CAIRN_TEST_JDBC_URL"),
    /** A PostgreSQL container started by Testcontainers. */
    CONTAINER("a PostgreSQL container (Testcontainers)"),
    /** An embedded PostgreSQL started in this JVM. */
    EMBEDDED("an embedded PostgreSQL (no CAIRN_TEST_JDBC_URL, no Docker engine or no Testcontainers)");

    static final String URL_VARIABLE = "CAIRN_TEST_JDBC_URL";

    private final String description;

    TestServerSource(String description) {
        this.description = description;
    }

    /**
     * Chooses the source.
     *
     * @param env the environment ({@code System::getenv})
     * @param dockerAnswers whether Testcontainers is present and a Docker engine answers; asked only without
     *        {@code CAIRN_TEST_JDBC_URL}
     */
    static TestServerSource choose(Function<String, String> env, BooleanSupplier dockerAnswers) {
        String url = env.apply(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            return CONFIGURED;
        }
        return dockerAnswers.getAsBoolean() ? CONTAINER : EMBEDDED;
    }

    String description() {
        return description;
    }
}
