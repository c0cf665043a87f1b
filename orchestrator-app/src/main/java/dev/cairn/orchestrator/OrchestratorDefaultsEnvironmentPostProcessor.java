package dev.cairn.orchestrator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The orchestrator's defaults: {@code cairn-orchestrator.yml} from the classpath, and its ports
 * {@code server.port=8080} and {@code management.server.port=9090} as <em>default properties</em>. Both rank below
 * every other source, so an application.yml, {@code SpringApplicationBuilder.properties(...)} (which sets default
 * properties itself; they win over these), the command line and the environment replace any of them. They apply to
 * the orchestrator application only, not to other applications in the same JVM (worker apps in tests).
 */
public class OrchestratorDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final Map<String, Object> DEFAULTS = Map.of(
            "server.port", "8080",
            "management.server.port", "9090");

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    static final String DEFAULTS_FILE = "cairn-orchestrator.yml";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!application.getAllSources().contains(CairnOrchestratorApplication.class)) {
            return;
        }
        MutablePropertySources sources = environment.getPropertySources();
        try {
            for (PropertySource<?> file : new YamlPropertySourceLoader().load(DEFAULTS_FILE,
                    new ClassPathResource(DEFAULTS_FILE, OrchestratorDefaultsEnvironmentPostProcessor.class.getClassLoader()))) {
                sources.addLast(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULTS_FILE, e);
        }
        Map<String, Object> merged = new LinkedHashMap<>(DEFAULTS);
        PropertySource<?> existing = sources.get(DefaultPropertiesPropertySource.NAME);
        if (existing instanceof MapPropertySource map) {
            merged.putAll(map.getSource());
        }
        DefaultPropertiesPropertySource replacement = new DefaultPropertiesPropertySource(merged);
        if (existing != null) {
            sources.replace(DefaultPropertiesPropertySource.NAME, replacement);
        } else {
            sources.addLast(replacement);
        }
    }
}
