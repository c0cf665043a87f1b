package dev.cairn.orchestrator.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/** The embedded PostgreSQL of one orchestrator context; stopped when the context closes (after the DataSource). */
public final class EmbeddedPostgresServer implements DisposableBean {

    /** Its bean name; the DataSource depends on it, so it stops last. */
    public static final String BEAN_NAME = "cairnEmbeddedPostgres";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private boolean stopped;

    EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public synchronized void destroy() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            postgres.close();
            log.info("Embedded PostgreSQL on port {} stopped; data kept in {}", port(), dataDirectory);
        } catch (IOException e) {
            log.warn("Embedded PostgreSQL on port {} did not stop cleanly: {}", port(), e.getMessage());
        }
    }
}
