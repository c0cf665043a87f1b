package dev.cairn.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL container of this JVM's tests, started at the first use and stopped when the JVM exits. Only
 * {@link TestDatabase} touches this class, and only once it knows Testcontainers is on the class path.
 */
final class ContainerServer {

    /** The image: the PostgreSQL version Cairn is built and tested against. */
    static final String IMAGE = "postgres:15";

    private static PostgreSQLContainer container;

    private ContainerServer() {
    }

    /** Whether a Docker engine answers (Testcontainers' own probe: environment, socket, Docker context…). */
    static boolean dockerAnswers() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    static synchronized TestServer start() {
        if (container == null) {
            PostgreSQLContainer started = new PostgreSQLContainer(IMAGE);
            started.start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
            container = started;
        }
        return new TestServer(container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }
}
