package dev.cairn.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fresh PostgreSQL database for one test class, created by the real migrations.
 *
 * <p>The server, chosen once per JVM and named in the log at INFO ({@link TestServerSource}): the one of
 * {@code CAIRN_TEST_JDBC_URL} (a JDBC URL to any database on it; the user must be allowed to create databases;
 * {@code CAIRN_TEST_JDBC_USER} / {@code CAIRN_TEST_JDBC_PASSWORD}, default {@code postgres} / empty); else, when
 * Testcontainers ({@code org.testcontainers:testcontainers-postgresql}) is on the test class path and a Docker engine
 * answers, a PostgreSQL container started once per JVM; else an embedded PostgreSQL started once per JVM (also as
 * root). Close it to drop the database.
 */
public final class TestDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);
    private static final String DOCKER_CLIENT_FACTORY = "org.testcontainers.DockerClientFactory";

    private static EmbeddedPostgres embedded;
    private static TestServer server;

    private final String adminUrl;
    private final String user;
    private final String password;
    private final String name;
    private final String jdbcUrl;

    private TestDatabase(String adminUrl, String user, String password, String name) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.name = name;
        this.jdbcUrl = withDatabase(adminUrl, name);
    }

    /** Creates a database named after {@code owner} (a test class) and migrates it. */
    public static TestDatabase create(Class<?> owner) {
        return create(owner.getSimpleName(), true);
    }

    /** Creates a database, migrated or empty. */
    public static TestDatabase create(String label, boolean migrate) {
        TestServer on = server();
        String name = ("cairn_" + label.replaceAll("[^A-Za-z0-9]", "_") + "_"
                + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
        if (name.length() > 63) {
            name = name.substring(name.length() - 63);
        }
        TestDatabase db = new TestDatabase(on.adminUrl(), on.user(), on.password(), name);
        db.execute("create database " + name);
        if (migrate) {
            Flyway.configure().dataSource(db.dataSource()).locations("classpath:db/migration").load().migrate();
        }
        return db;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String name() {
        return name;
    }

    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl);
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }

    /** Spring properties that point an application at this database. */
    public String[] springProperties() {
        return new String[] {
            "spring.datasource.url=" + jdbcUrl,
            "spring.datasource.username=" + user,
            "spring.datasource.password=" + password
        };
    }

    @Override
    public void close() {
        execute("drop database if exists " + name + " with (force)");
    }

    private void execute(String sql) {
        try (Connection c = DriverManager.getConnection(adminUrl, user, password);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run '" + sql + "' on " + adminUrl + ": " + e.getMessage(), e);
        }
    }

    static String withDatabase(String url, String database) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String query = q < 0 ? "" : url.substring(q);
        int slash = base.lastIndexOf('/');
        if (slash < "jdbc:postgresql://".length()) {
            throw new IllegalArgumentException("not a JDBC URL with a database: " + url);
        }
        return base.substring(0, slash + 1) + database + query;
    }

    /** The server of this JVM's test databases, chosen and (container, embedded) started at the first call. */
    private static synchronized TestServer server() {
        if (server == null) {
            TestServerSource source = TestServerSource.choose(System::getenv, TestDatabase::dockerAnswers);
            server = switch (source) {
                case CONFIGURED -> new TestServer(System.getenv(TestServerSource.URL_VARIABLE),
                        envOr("CAIRN_TEST_JDBC_USER", "postgres"), envOr("CAIRN_TEST_JDBC_PASSWORD", ""));
                case CONTAINER -> ContainerServer.start();
                case EMBEDDED -> new TestServer(embeddedUrl(), "postgres", "");
            };
            log.info("Test databases are created on {}: {}", source.description(), withoutQuery(server.adminUrl()));
        }
        return server;
    }

    /** Whether Testcontainers is on the class path and a Docker engine answers. */
    private static boolean dockerAnswers() {
        try {
            Class.forName(DOCKER_CLIENT_FACTORY, false, TestDatabase.class.getClassLoader());
        } catch (ClassNotFoundException absent) {
            return false;
        }
        return ContainerServer.dockerAnswers();
    }

    private static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private static String envOr(String key, String fallback) {
        String v = System.getenv(key);
        return v == null ? fallback : v;
    }

    /**
     * The JDBC URL of the {@code postgres} database of this JVM's embedded server, started at the first call (also
     * as root: the binaries it unpacks start there, unlike a stock PostgreSQL).
     */
    static String embeddedUrl() {
        return embeddedServer().getJdbcUrl("postgres", "postgres");
    }

    private static synchronized EmbeddedPostgres embeddedServer() {
        if (embedded == null) {
            try {
                embedded = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start embedded PostgreSQL (set CAIRN_TEST_JDBC_URL to use a"
                        + " server instead, or add Testcontainers and run a Docker engine)", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return embedded;
    }
}
