package dev.cairn.orchestrator.timer;

import dev.cairn.orchestrator.OrchestratorProperties;
import dev.cairn.orchestrator.ledger.FiredTimers;
import dev.cairn.orchestrator.ledger.Ledger;
import dev.cairn.orchestrator.loop.BackgroundLoop;
import dev.cairn.orchestrator.metrics.CairnMetrics;
import dev.cairn.orchestrator.notify.ClosedExecutions;
import dev.cairn.orchestrator.notify.Wakeups;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Fires due timers: a WAIT succeeds, a RETRY makes its step READY, a CALLBACK_TIMEOUT or CALLBACK_HEARTBEAT times
 * the callback out (the execution becomes ready for another invocation), an EXECUTION_TIMEOUT ends the execution
 * TIMED_OUT (and makes a chained child's parent ready). Sleeps until the next timer is due (at most
 * {@code timer-poll-interval}); a timer created sooner, in this or another replica, wakes it early.
 */
@Component
public class TimerPoller extends BackgroundLoop {

    private static final Logger log = LoggerFactory.getLogger(TimerPoller.class);
    private static final Duration MIN_PAUSE = Duration.ofMillis(20);

    private final Ledger ledger;
    private final CairnMetrics metrics;
    private final Wakeups wakeups;
    private final ClosedExecutions closed;
    private final Clock clock;
    private final Duration pollInterval;
    private final int batchSize;

    public TimerPoller(Ledger ledger, Wakeups wakeups, ClosedExecutions closed, Clock clock,
            OrchestratorProperties properties, CairnMetrics metrics) {
        super("cairn-timers", wakeups.timers());
        this.ledger = ledger;
        this.metrics = metrics;
        this.wakeups = wakeups;
        this.closed = closed;
        this.clock = clock;
        this.pollInterval = properties.timerPollInterval();
        this.batchSize = properties.timerBatchSize();
    }

    @Override
    protected Duration runOnce() {
        FiredTimers fired = ledger.fireTimers(clock.instant().truncatedTo(ChronoUnit.MICROS), batchSize);
        if (fired.fired() > 0) {
            log.debug("Fired {} timers: {} executions ready, {} timed out", fired.fired(), fired.woken(),
                    fired.timedOut());
        }
        fired.lags().forEach(metrics::timerFired);
        fired.timedOutWorkflows().forEach(w -> metrics.executionCompleted(w, "TIMED_OUT"));
        closed.announce(fired.timedOutIds());
        for (int i = 0; i < fired.callbacksTimedOut(); i++) {
            metrics.callback("TIMED_OUT");
        }
        if (fired.woken() > 0) {
            wakeups.ready().signal();
            wakeups.tellReplicas(true, false);
        }
        if (fired.fired() >= batchSize) {
            return Duration.ZERO;
        }
        Instant next = ledger.nextTimerDue().orElse(null);
        if (next == null) {
            return pollInterval;
        }
        Duration until = Duration.between(clock.instant(), next);
        if (until.compareTo(MIN_PAUSE) < 0) {
            // due but locked by another replica, or due right now: look again shortly
            return MIN_PAUSE;
        }
        return until.compareTo(pollInterval) < 0 ? until : pollInterval;
    }

    @Override
    protected Duration idleInterval() {
        return pollInterval;
    }
}
