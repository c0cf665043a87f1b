package dev.cairn.orchestrator.metrics;

import dev.cairn.orchestrator.OrchestratorProperties;
import dev.cairn.orchestrator.loop.BackgroundLoop;
import dev.cairn.orchestrator.loop.Wakeup;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Keeps the database gauges current: {@code cairn_executions_running{workflow}}, {@code cairn_ready_backlog} and
 * {@code cairn_workers_live}, read every {@code cairn.orchestrator.metrics-refresh-interval} (one query), never per
 * scrape or per request. Every replica reports the same values (they come from the shared database): aggregate
 * them with {@code max}, not {@code sum}.
 */
@Component
public class GaugeRefresher extends BackgroundLoop {

    private final GaugeStore store;
    private final Clock clock;
    private final OrchestratorProperties properties;
    private final MultiGauge running;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong live = new AtomicLong();

    public GaugeRefresher(GaugeStore store, MeterRegistry registry, Clock clock, OrchestratorProperties properties) {
        super("cairn-gauges", new Wakeup());
        this.store = store;
        this.clock = clock;
        this.properties = properties;
        this.running = MultiGauge.builder("cairn.executions.running")
                .description("Executions running now, by workflow (from the database)")
                .register(registry);
        Gauge.builder("cairn.ready.backlog", backlog, AtomicLong::get)
                .description("Executions ready for an invocation that no worker runs yet (from the database)")
                .register(registry);
        Gauge.builder("cairn.workers.live", live, AtomicLong::get)
                .description("Workers whose last heartbeat is recent enough (from the database)")
                .register(registry);
    }

    /** Reads the gauges' values now. */
    public void refresh() {
        Instant now = clock.instant();
        GaugeStore.Gauges gauges = store.read(now, now.minus(properties.workerTimeout()));
        running.register(gauges.running().entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("workflow", e.getKey()), e.getValue()))
                .toList(), true);
        backlog.set(gauges.readyBacklog());
        live.set(gauges.liveWorkers());
    }

    @Override
    protected Duration runOnce() {
        refresh();
        return properties.metricsRefreshInterval();
    }

    @Override
    protected Duration idleInterval() {
        return properties.metricsRefreshInterval();
    }
}
