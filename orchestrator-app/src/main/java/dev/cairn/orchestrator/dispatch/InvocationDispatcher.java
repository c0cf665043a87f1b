package dev.cairn.orchestrator.dispatch;

import dev.cairn.orchestrator.OrchestratorProperties;
import dev.cairn.orchestrator.loop.BackgroundLoop;
import dev.cairn.orchestrator.metrics.CairnMetrics;
import dev.cairn.orchestrator.notify.Wakeups;
import dev.cairn.orchestrator.worker.LiveWorker;
import dev.cairn.orchestrator.worker.WorkerStore;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.WorkflowRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Claims ready executions and pushes each, as an {@link Invocation} with its operation log, to a live worker that
 * serves exactly its workflow and version and has free capacity. A worker that refuses (busy, unreachable) gets
 * the claim released; the execution is dispatched again shortly. Woken by {@link Wakeups#ready()} (a start, a
 * timer, a completion, a NOTIFY from another replica), else it polls.
 */
@Component
public class InvocationDispatcher extends BackgroundLoop {

    private static final Logger log = LoggerFactory.getLogger(InvocationDispatcher.class);

    private final DispatchStore store;
    private final WorkerStore workers;
    private final WorkerClient client;
    private final Clock clock;
    private final OrchestratorProperties properties;
    private final CairnMetrics metrics;

    public InvocationDispatcher(DispatchStore store, WorkerStore workers, WorkerClient client, Wakeups wakeups,
            Clock clock, OrchestratorProperties properties, CairnMetrics metrics) {
        super("cairn-dispatcher", wakeups.ready());
        this.metrics = metrics;
        this.store = store;
        this.workers = workers;
        this.client = client;
        this.clock = clock;
        this.properties = properties;
    }

    @Override
    protected Duration runOnce() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<LiveWorker> live = workers.liveWorkers(now.minus(properties.workerTimeout()));
        WorkerPool pool = new WorkerPool(live, client::isAvailable);
        Set<WorkflowRef> servable = pool.servable();
        int limit = Math.min(properties.dispatchBatchSize(), pool.totalFree());
        if (servable.isEmpty() || limit == 0) {
            return properties.dispatchPollInterval();
        }
        List<Claim> claims = store.claim(servable, now, now.plus(properties.leaseDuration()), limit);
        if (claims.isEmpty()) {
            return properties.dispatchPollInterval();
        }
        List<Assignment> assignments = new ArrayList<>();
        for (Claim claim : claims) {
            Optional<LiveWorker> worker = pool.take(claim.workflow(), claim.version());
            if (worker.isPresent()) {
                assignments.add(new Assignment(claim, worker.get()));
            } else {
                store.release(claim.executionId(), claim.token(), now);
            }
        }
        store.assign(assignments);
        Map<java.util.UUID, List<OperationRecord>> logs = store.operations(
                assignments.stream().map(a -> a.claim().executionId()).toList());
        for (Assignment a : assignments) {
            send(a, logs.getOrDefault(a.claim().executionId(), List.of()));
        }
        return claims.size() >= limit ? Duration.ZERO : properties.dispatchPollInterval();
    }

    private void send(Assignment a, List<OperationRecord> operations) {
        Claim c = a.claim();
        Invocation invocation = new Invocation(c.executionId().toString(), c.token().toString(), c.workflow(),
                c.version(), c.input(), operations, c.startedAt());
        log.debug("Dispatching execution {} to worker {}", c.executionId(), a.worker().workerId());
        client.send(a.worker().workerId(), a.worker().endpoint(), a.worker().invocationSecret(), invocation)
                .thenAccept(outcome -> settle(a, outcome));
    }

    private void settle(Assignment a, SendOutcome outcome) {
        Claim c = a.claim();
        if (outcome == SendOutcome.ACCEPTED) {
            metrics.dispatched(Duration.between(c.readyAt(), clock.instant()));
            return;
        }
        metrics.invocation(c.workflow(), "REFUSED");
        log.debug("Worker {} did not take execution {} ({}); releasing the claim", a.worker().workerId(),
                c.executionId(), outcome);
        try {
            store.release(c.executionId(), c.token(), clock.instant().plus(properties.dispatchRetryDelay()));
        } catch (RuntimeException e) {
            log.warn("Could not release the claim on execution {} (its lease will expire): {}", c.executionId(),
                    e.toString());
        }
    }

    @Override
    protected Duration idleInterval() {
        return properties.dispatchPollInterval();
    }
}
