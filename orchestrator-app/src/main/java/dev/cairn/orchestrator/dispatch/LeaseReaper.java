package dev.cairn.orchestrator.dispatch;

import dev.cairn.orchestrator.OrchestratorProperties;
import dev.cairn.orchestrator.ledger.Ledger;
import dev.cairn.orchestrator.loop.BackgroundLoop;
import dev.cairn.orchestrator.loop.Wakeup;
import dev.cairn.orchestrator.metrics.CairnMetrics;
import dev.cairn.orchestrator.notify.Wakeups;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Finds invocations whose lease expired (the worker died, hung or lost contact): their token stops working, the
 * execution is ready again, and {@code InvocationCompleted {outcome: LOST}} is recorded.
 */
@Component
public class LeaseReaper extends BackgroundLoop {

    private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);

    private final Ledger ledger;
    private final CairnMetrics metrics;
    private final Wakeups wakeups;
    private final Clock clock;
    private final Duration interval;
    private final int batchSize;

    public LeaseReaper(Ledger ledger, Wakeups wakeups, Clock clock, OrchestratorProperties properties,
            CairnMetrics metrics) {
        super("cairn-lease-reaper", new Wakeup());
        this.ledger = ledger;
        this.metrics = metrics;
        this.wakeups = wakeups;
        this.clock = clock;
        this.interval = properties.timerPollInterval();
        this.batchSize = properties.timerBatchSize();
    }

    /** Reaps up to a batch of expired leases; returns how many. */
    public int reap() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<String> lostWorkflows = ledger.reapLeases(now, batchSize);
        lostWorkflows.forEach(w -> metrics.invocation(w, "LOST"));
        int lost = lostWorkflows.size();
        if (lost > 0) {
            log.info("{} invocations lost their lease; their executions are ready again", lost);
            wakeups.ready().signal();
            wakeups.tellReplicas(true, false);
        }
        return lost;
    }

    @Override
    protected Duration runOnce() {
        return reap() >= batchSize ? Duration.ZERO : interval;
    }

    @Override
    protected Duration idleInterval() {
        return interval;
    }
}
