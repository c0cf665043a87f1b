package dev.cairn.orchestrator.dispatch;

import dev.cairn.orchestrator.OrchestratorProperties;
import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code dispatcher} health contributor, part of the readiness group: UP while the dispatcher loop runs and has
 * completed a pass (claiming ready executions) recently, DOWN when it stopped or its passes keep failing (the
 * database does not answer). Reads no database itself.
 */
@Component("dispatcherHealthIndicator")
public class DispatcherHealthIndicator implements HealthIndicator {

    private final InvocationDispatcher dispatcher;
    private final Duration stale;

    public DispatcherHealthIndicator(InvocationDispatcher dispatcher, OrchestratorProperties properties) {
        this.dispatcher = dispatcher;
        Duration tenPolls = properties.dispatchPollInterval().multipliedBy(10);
        this.stale = tenPolls.compareTo(Duration.ofSeconds(30)) > 0 ? tenPolls : Duration.ofSeconds(30);
    }

    @Override
    public Health health() {
        Duration since = dispatcher.sinceLastPass();
        if (!dispatcher.isRunning()) {
            return Health.down().withDetail("reason", "the dispatcher is not running").build();
        }
        Health.Builder health = since.compareTo(stale) > 0 ? Health.down().withDetail("reason",
                "no dispatcher pass completed for " + since.toSeconds() + "s") : Health.up();
        return health.withDetail("lastPassMillisAgo", since.toMillis()).build();
    }
}
