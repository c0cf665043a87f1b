package dev.cairn.orchestrator.embedded;

import dev.cairn.orchestrator.CairnOrchestratorApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ObjectUtils;
import org.springframework.util.StringUtils;

/**
 * Starts an embedded PostgreSQL (io.zonky) before the DataSource exists when the orchestrator has no
 * {@code spring.datasource.url}, and points {@code spring.datasource.*} at it. Its data lives in
 * {@code cairn.embedded-postgres.data-dir} (default {@code ./.cairn-data/postgres}) and survives restarts; it
 * listens on {@code cairn.embedded-postgres.port} (default 5433). Only acts for applications built from
 * {@link CairnOrchestratorApplication}, so other applications in the same JVM (workers, tests) are left alone.
 */
public class EmbeddedPostgresEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** Runs after application.yml and friends are loaded. */
    public static final int ORDER = ConfigDataEnvironmentPostProcessor.ORDER + 10;

    private final Log log;

    public EmbeddedPostgresEnvironmentPostProcessor(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(EmbeddedPostgresEnvironmentPostProcessor.class);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!application.getAllSources().contains(CairnOrchestratorApplication.class)
                || StringUtils.hasText(environment.getProperty("spring.datasource.url"))
                || !environment.getProperty("cairn.embedded-postgres.enabled", Boolean.class, true)) {
            return;
        }
        Path dataDir = Path.of(environment.getProperty("cairn.embedded-postgres.data-dir", "./.cairn-data/postgres"))
                .toAbsolutePath().normalize();
        int port = environment.getProperty("cairn.embedded-postgres.port", Integer.class, 5433);
        EmbeddedPostgresServer server = start(dataDir, port);
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("spring.datasource.url", "jdbc:postgresql://localhost:" + server.port() + "/postgres");
        props.put("spring.datasource.username", "postgres");
        props.put("spring.datasource.password", "");
        environment.getPropertySources().addFirst(new MapPropertySource("cairnEmbeddedPostgres", props));
        application.addInitializers(context -> register(context, server));
        application.addListeners((ApplicationListener<ApplicationFailedEvent>) event -> server.destroy());
        log.warn("""

                ==================================================================================
                 Cairn: no spring.datasource.url configured, so an EMBEDDED PostgreSQL is running
                   JDBC URL : jdbc:postgresql://localhost:%d/postgres  (user postgres)
                   data dir : %s
                 It keeps its data across restarts. For production, set spring.datasource.url.
                ==================================================================================""".formatted(
                server.port(), dataDir));
    }

    private EmbeddedPostgresServer start(Path dataDir, int port) {
        if ("root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("Cannot start the embedded PostgreSQL as root (PostgreSQL refuses to run"
                    + " as root): run the orchestrator as another user, or set spring.datasource.url to a PostgreSQL"
                    + " server");
        }
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setRegisterShutdownHook(false)
                    .start();
            return new EmbeddedPostgresServer(postgres, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL on port " + port + " with data in "
                    + dataDir + " (is the port taken, or the directory used by another server?); set"
                    + " spring.datasource.url to use a PostgreSQL server instead", e);
        }
    }

    private static void register(ConfigurableApplicationContext context, EmbeddedPostgresServer server) {
        if (context instanceof GenericApplicationContext generic) {
            generic.registerBean(EmbeddedPostgresServer.BEAN_NAME, EmbeddedPostgresServer.class, () -> server);
        } else {
            context.getBeanFactory().registerSingleton(EmbeddedPostgresServer.BEAN_NAME, server);
        }
        context.addBeanFactoryPostProcessor(EmbeddedPostgresEnvironmentPostProcessor::dependOnServer);
    }

    /** Makes the DataSource depend on the server, so the server starts before and stops after it. */
    private static void dependOnServer(ConfigurableListableBeanFactory beanFactory) {
        for (String name : beanFactory.getBeanNamesForType(javax.sql.DataSource.class, true, false)) {
            if (!beanFactory.containsBeanDefinition(name)) {
                continue;
            }
            BeanDefinition definition = beanFactory.getBeanDefinition(name);
            String[] dependsOn = definition.getDependsOn();
            if (!ObjectUtils.containsElement(dependsOn, EmbeddedPostgresServer.BEAN_NAME)) {
                definition.setDependsOn(ObjectUtils.addObjectToArray(dependsOn, EmbeddedPostgresServer.BEAN_NAME));
            }
        }
    }
}
