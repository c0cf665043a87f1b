package dev.cairn.orchestrator;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * The orchestrator's ports, {@code server.port=8080} and {@code management.server.port=9090}, as <em>default
 * properties</em> (the lowest precedence) rather than in application.yml, so that every other source can replace
 * them, including {@code SpringApplicationBuilder.properties(...)} (which sets default properties itself; they win
 * over these).
 */
public class OrchestratorDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final Map<String, Object> DEFAULTS = Map.of(
            "server.port", "8080",
            "management.server.port", "9090");

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!application.getAllSources().contains(CairnOrchestratorApplication.class)) {
            return;
        }
        MutablePropertySources sources = environment.getPropertySources();
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
