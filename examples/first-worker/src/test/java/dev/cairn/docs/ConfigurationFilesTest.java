package dev.cairn.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.worker.CairnWorkerProperties;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/** The first worker's two configuration files, as docs/first-worker.md shows them, bind to the worker's settings. */
class ConfigurationFilesTest {

    @Test
    void theDemoConfigurationPointsAtTheDemoOrchestratorWithoutAToken() throws IOException {
        StandardEnvironment env = environment(Map.of(), "application.yml");

        CairnWorkerProperties worker = Binder.get(env).bind("cairn.worker", CairnWorkerProperties.class).get();

        assertThat(worker.orchestratorUrl()).isEqualTo("http://localhost:8080");
        assertThat(worker.token()).isNull();
        assertThat(env.getProperty("server.port")).isEqualTo("8082");
        assertThat(env.getProperty("management.server.port")).isEqualTo("9092");
    }

    @Test
    void theSecuredConfigurationTakesTheOrchestratorAndTheWorkerTokenFromTheEnvironment() throws IOException {
        StandardEnvironment env = environment(Map.of("CAIRN_ORCHESTRATOR_URL", "https://cairn.example.com",
                "CAIRN_WORKER_TOKEN", "s3cret-worker-token"), "application-secured.yml", "application.yml");

        CairnWorkerProperties worker = Binder.get(env).bind("cairn.worker", CairnWorkerProperties.class).get();

        assertThat(worker.orchestratorUrl()).isEqualTo("https://cairn.example.com");
        assertThat(worker.token()).isEqualTo("s3cret-worker-token");
    }

    /** The files in precedence order (a profile's file before application.yml), over the given variables. */
    private static StandardEnvironment environment(Map<String, Object> variables, String... files)
            throws IOException {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("variables", variables));
        for (String file : files) {
            for (PropertySource<?> source : new YamlPropertySourceLoader().load(file, new ClassPathResource(file))) {
                env.getPropertySources().addLast(source);
            }
        }
        return env;
    }
}
