package dev.cairn.orchestrator.checkpoint;

import dev.cairn.orchestrator.commit.GroupCommit;
import dev.cairn.orchestrator.ledger.CheckpointStore;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code checkpointWrites} health contributor, part of the readiness group: DOWN while the oldest checkpoint or
 * completion being written has been running for longer than {@code cairn.orchestrator.checkpoint-stall-threshold}
 * (the database hangs: a lock held, a silent network partition), so that requests go to other replicas; UP again
 * once it returns. Reads no database itself.
 */
@Component("checkpointWritesHealthIndicator")
public class CheckpointWritesHealthIndicator implements HealthIndicator {

    private final GroupCommit group;
    private final Duration threshold;

    @Autowired
    public CheckpointWritesHealthIndicator(CheckpointStore store,
            @Value("${cairn.orchestrator.checkpoint-stall-threshold:10s}") Duration threshold) {
        this(store.groupCommit(), threshold);
    }

    CheckpointWritesHealthIndicator(GroupCommit group, Duration threshold) {
        if (threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException(
                    "cairn.orchestrator.checkpoint-stall-threshold must be positive, was " + threshold);
        }
        this.group = group;
        this.threshold = threshold;
    }

    @Override
    public Health health() {
        Duration longest = group.longestWrite();
        Health.Builder health = longest.compareTo(threshold) > 0 ? Health.down().withDetail("reason",
                "a checkpoint write has been running for " + longest.toMillis() + " ms") : Health.up();
        return health.withDetail("longestWriteMillis", longest.toMillis()).build();
    }
}
