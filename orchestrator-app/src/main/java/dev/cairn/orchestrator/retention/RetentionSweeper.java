package dev.cairn.orchestrator.retention;

import dev.cairn.orchestrator.OrchestratorProperties;
import dev.cairn.orchestrator.ledger.Ledger;
import dev.cairn.orchestrator.loop.BackgroundLoop;
import dev.cairn.orchestrator.loop.Wakeup;
import dev.cairn.orchestrator.metrics.CairnMetrics;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deletes closed executions {@code retentionDays} (per execution, default 14) after they ended, with everything
 * they own, in batches of {@code cairn.orchestrator.retention-batch-size}, one transaction each. A full batch is
 * followed by the next at once, so a backlog (a million executions expiring together) is worked off at full speed
 * in short transactions; otherwise it sleeps {@code cairn.orchestrator.retention-interval}. Several replicas share
 * the work without waiting on each other.
 */
@Component
public class RetentionSweeper extends BackgroundLoop {

    private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);

    private final Ledger ledger;
    private final CairnMetrics metrics;
    private final Clock clock;
    private final OrchestratorProperties properties;

    public RetentionSweeper(Ledger ledger, CairnMetrics metrics, Clock clock, OrchestratorProperties properties) {
        super("cairn-retention", new Wakeup());
        this.ledger = ledger;
        this.metrics = metrics;
        this.clock = clock;
        this.properties = properties;
    }

    /** Deletes one batch of expired executions; returns how many. */
    public int sweep() {
        int deleted = ledger.deleteExpired(clock.instant(), properties.retentionBatchSize());
        if (deleted > 0) {
            metrics.retentionDeleted(deleted);
            log.debug("Retention deleted {} closed executions", deleted);
        }
        return deleted;
    }

    @Override
    protected Duration runOnce() {
        return sweep() >= properties.retentionBatchSize() ? Duration.ZERO : properties.retentionInterval();
    }

    @Override
    protected Duration idleInterval() {
        return properties.retentionInterval();
    }
}
