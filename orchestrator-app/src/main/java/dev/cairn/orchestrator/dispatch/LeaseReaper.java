package dev.cairn.orchestrator.dispatch;

import static dev.cairn.orchestrator.sql.SqlTypes.at;
import static dev.cairn.orchestrator.sql.SqlTypes.text;

import dev.cairn.orchestrator.OrchestratorProperties;
import dev.cairn.orchestrator.loop.BackgroundLoop;
import dev.cairn.orchestrator.metrics.CairnMetrics;
import dev.cairn.orchestrator.loop.Wakeup;
import dev.cairn.orchestrator.notify.Wakeups;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Finds invocations whose lease expired (the worker died, hung or lost contact): their token stops working, the
 * execution is ready again, and {@code InvocationCompleted {outcome: LOST}} is recorded.
 */
@Component
public class LeaseReaper extends BackgroundLoop {

    private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);

    private static final String REAP = """
            with expired as (
                select execution_id, worker_id, invocation_started_at from executions
                 where lease_expires_at < :now and status = 'RUNNING'
                 order by lease_expires_at
                 for update skip locked
                 limit :limit
            ), lost as (
                update executions e
                   set invocation_token = null, lease_expires_at = null, worker_id = null,
                       invocation_started_at = null, ready_at = coalesce(e.ready_at, :now)
                  from expired x
                 where e.execution_id = x.execution_id
                returning e.execution_id, x.worker_id, x.invocation_started_at, e.workflow
            ), events as (
                insert into history_events (execution_id, type, occurred_at, details)
                select execution_id, 'InvocationCompleted', :now,
                       json_build_object('startedAt', to_char(invocation_started_at at time zone 'UTC',
                                                              'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                                         'endedAt', cast(:nowText as text), 'outcome', 'LOST',
                                         'workerId', worker_id)::text
                  from lost
            )
            select coalesce(array_agg(workflow), '{}') as lost from lost
            """;

    private final JdbcClient jdbc;
    private final CairnMetrics metrics;
    private final Wakeups wakeups;
    private final Clock clock;
    private final Duration interval;
    private final int batchSize;

    public LeaseReaper(JdbcClient jdbc, Wakeups wakeups, Clock clock, OrchestratorProperties properties,
            CairnMetrics metrics) {
        super("cairn-lease-reaper", new Wakeup());
        this.jdbc = jdbc;
        this.metrics = metrics;
        this.wakeups = wakeups;
        this.clock = clock;
        this.interval = properties.timerPollInterval();
        this.batchSize = properties.timerBatchSize();
    }

    /** Reaps up to a batch of expired leases; returns how many. */
    public int reap() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<String> lostWorkflows = jdbc.sql(REAP)
                .param("now", at(now))
                .param("nowText", text(now))
                .param("limit", batchSize)
                .query((rs, n) -> List.of((String[]) rs.getArray("lost").getArray()))
                .single();
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
