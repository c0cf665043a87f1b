package dev.cairn.orchestrator.dispatch;

import dev.cairn.orchestrator.OrchestratorProperties;
import dev.cairn.orchestrator.ledger.Claim;
import dev.cairn.orchestrator.ledger.ClaimPass;
import dev.cairn.orchestrator.ledger.Ledger;
import dev.cairn.orchestrator.loop.BackgroundLoop;
import dev.cairn.orchestrator.metrics.CairnMetrics;
import dev.cairn.orchestrator.notify.FreedCapacity;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Claims ready executions and pushes each, as an {@link Invocation} with its operation log, to a live worker that
 * serves exactly its workflow and version and has free capacity. One pass is one transaction of two statements
 * ({@link Ledger#claimFor}): the worker is chosen per workflow version before the claim (the live workers
 * are kept in memory, read again at most every second), and the claim records it and counts its free capacity;
 * the second statement reads the claimed operation logs. What a pass claimed for a worker that takes batches goes to
 * it in one request ({@link WorkerClient#sendBatch}), else one request per invocation. A worker that refuses (busy,
 * unreachable) gets the claim released; the execution is dispatched again shortly. Woken by
 * {@link Wakeups#ready()} (a start, a timer, an execution ready again, a NOTIFY from another replica) and, while a
 * worker it chose is full, by an invocation that ended ({@link FreedCapacity}); else it polls.
 */
@Component
public class InvocationDispatcher extends BackgroundLoop {

    private static final Logger log = LoggerFactory.getLogger(InvocationDispatcher.class);

    /** How stale the list of live workers may get. */
    static final Duration WORKER_REFRESH = Duration.ofSeconds(1);

    private final Ledger ledger;
    private final WorkerStore workers;
    private final WorkerClient client;
    private final Clock clock;
    private final OrchestratorProperties properties;
    private final CairnMetrics metrics;
    private final FreedCapacity freedCapacity;
    private final Map<String, Integer> free = new HashMap<>();
    private List<LiveWorker> live;
    /** For each workflow version, the worker chosen for it that had room after the last pass (read by starts). */
    private volatile Map<WorkflowRef, LiveWorker> room = Map.of();
    private long liveReadNanos;
    private Instant liveReadAt;
    private long liveChanges;

    public InvocationDispatcher(Ledger ledger, WorkerStore workers, WorkerClient client, Wakeups wakeups,
            Clock clock, OrchestratorProperties properties, CairnMetrics metrics) {
        super("cairn-dispatcher", wakeups.ready());
        this.metrics = metrics;
        this.ledger = ledger;
        this.workers = workers;
        this.client = client;
        this.clock = clock;
        this.properties = properties;
        this.freedCapacity = wakeups.freedCapacity();
    }

    @Override
    protected Duration runOnce() {
        freedCapacity.passStarting();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Map<String, LiveWorker> usable = new LinkedHashMap<>();
        int capacity = 0;
        for (LiveWorker w : liveWorkers(now)) {
            if (client.isAvailable(w.workerId())) {
                usable.put(w.workerId(), w);
                capacity += w.capacity();
            }
        }
        Map<WorkflowRef, LiveWorker> chosen = choose(usable.values());
        int limit = Math.min(properties.dispatchBatchSize(), capacity);
        if (chosen.isEmpty() || limit == 0) {
            room = Map.of();
            freedCapacity.passEnded(false);
            return properties.dispatchPollInterval();
        }
        Map<WorkflowRef, String> chosenIds = new LinkedHashMap<>();
        chosen.forEach((ref, worker) -> chosenIds.put(ref, worker.workerId()));
        Map<String, Integer> capacities = new LinkedHashMap<>();
        usable.forEach((id, worker) -> capacities.put(id, worker.capacity()));
        ClaimPass pass = ledger.claimFor(chosenIds, capacities, now, now.plus(properties.leaseDuration()), limit);
        free.putAll(pass.free());
        Map<String, List<ClaimPass.WorkerClaim>> byWorker = new LinkedHashMap<>();
        for (ClaimPass.WorkerClaim claimed : pass.claims()) {
            byWorker.computeIfAbsent(claimed.workerId(), id -> new ArrayList<>()).add(claimed);
        }
        byWorker.forEach((id, claims) -> send(usable.get(id), claims, pass));
        publishRoom(chosen);
        boolean heldBack = chosen.values().stream().anyMatch(w -> freeOf(w) == 0);
        boolean again = freedCapacity.passEnded(heldBack);
        if (again || pass.claims().size() >= limit || betterChoice(chosen, usable.values())) {
            return Duration.ZERO;
        }
        return properties.dispatchPollInterval();
    }

    /**
     * The worker that a new execution of {@code ref} may be claimed for by its start ({@link
     * dev.cairn.orchestrator.ledger.StartClaim}): the one this dispatcher chose for the workflow version in its last
     * pass, if it had room left then and its endpoint is not failing. A hint: the start's statement counts the room
     * itself, and without a worker here the execution is left ready for the next pass.
     */
    public Optional<LiveWorker> workerWithRoom(WorkflowRef ref) {
        LiveWorker w = room.get(ref);
        return w != null && client.isAvailable(w.workerId()) ? Optional.of(w) : Optional.empty();
    }

    /**
     * Sends the first invocation of an execution that its start claimed for {@code worker}: an empty log, so no read;
     * on the calling thread, which waits for the worker's answer unless as many callers already wait for it
     * ({@link WorkerClient#sendFromCaller}). A refusal releases the claim as for any other (the execution is
     * dispatched again shortly).
     */
    public void dispatchStarted(Claim claim, LiveWorker worker) {
        Assignment a = new Assignment(claim, worker);
        log.debug("Dispatching started execution {} to worker {}", claim.executionId(), worker.workerId());
        client.sendFromCaller(worker.workerId(), worker.endpoint(), worker.invocationSecret(),
                invocation(claim, List.of())).thenAccept(outcome -> settle(a, outcome));
    }

    private void publishRoom(Map<WorkflowRef, LiveWorker> chosen) {
        Map<WorkflowRef, LiveWorker> withRoom = new HashMap<>();
        chosen.forEach((ref, w) -> {
            if (freeOf(w) > 0) {
                withRoom.put(ref, w);
            }
        });
        room = Map.copyOf(withRoom);
    }

    /**
     * The live workers, read at most every {@link #WORKER_REFRESH} (or when the clock moved by more, or a worker
     * registered through this replica), not on every pass: their free capacity is counted by the claim itself.
     */
    private List<LiveWorker> liveWorkers(Instant now) {
        long nanos = System.nanoTime();
        long changes = workers.changes();
        if (live == null || nanos - liveReadNanos > WORKER_REFRESH.toNanos() || changes != liveChanges
                || Duration.between(liveReadAt, now).abs().compareTo(WORKER_REFRESH) > 0) {
            live = workers.liveWorkers(now.minus(properties.workerTimeout()));
            liveReadNanos = nanos;
            liveReadAt = now;
            liveChanges = changes;
            free.keySet().retainAll(live.stream().map(LiveWorker::workerId).toList());
            for (LiveWorker w : live) {
                free.put(w.workerId(), Math.max(0, w.capacity() - w.leased()));
            }
        }
        return live;
    }

    /**
     * For each workflow version, the worker serving exactly it with the most free capacity known (as of the last
     * claim or worker read); the claim enforces the real free capacity.
     */
    private Map<WorkflowRef, LiveWorker> choose(Collection<LiveWorker> candidates) {
        Map<WorkflowRef, LiveWorker> chosen = new LinkedHashMap<>();
        for (LiveWorker w : candidates) {
            for (WorkflowRef ref : w.workflows()) {
                LiveWorker current = chosen.get(ref);
                if (current == null || freeOf(w) > freeOf(current)) {
                    chosen.put(ref, w);
                }
            }
        }
        return chosen;
    }

    /** Whether some workflow version's chosen worker is full while another serving it has room. */
    private boolean betterChoice(Map<WorkflowRef, LiveWorker> chosen, Collection<LiveWorker> candidates) {
        Map<WorkflowRef, LiveWorker> now = choose(candidates);
        for (Map.Entry<WorkflowRef, LiveWorker> e : chosen.entrySet()) {
            LiveWorker next = now.get(e.getKey());
            if (next != null && freeOf(e.getValue()) == 0 && freeOf(next) > 0) {
                return true;
            }
        }
        return false;
    }

    private int freeOf(LiveWorker w) {
        return free.getOrDefault(w.workerId(), w.capacity());
    }

    /**
     * Sends what one pass claimed for {@code worker}: in one request when it takes batches and there are several,
     * else one request each.
     */
    private void send(LiveWorker worker, List<ClaimPass.WorkerClaim> claims, ClaimPass pass) {
        if (claims.size() == 1 || !worker.invocationBatches()) {
            for (ClaimPass.WorkerClaim claimed : claims) {
                send(new Assignment(claimed.claim(), worker),
                        pass.operations().getOrDefault(claimed.claim().executionId(), List.of()));
            }
            return;
        }
        List<Assignment> assignments = new ArrayList<>(claims.size());
        List<Invocation> invocations = new ArrayList<>(claims.size());
        for (ClaimPass.WorkerClaim claimed : claims) {
            assignments.add(new Assignment(claimed.claim(), worker));
            invocations.add(invocation(claimed.claim(),
                    pass.operations().getOrDefault(claimed.claim().executionId(), List.of())));
        }
        log.debug("Dispatching {} executions to worker {} in one request", claims.size(), worker.workerId());
        client.sendBatch(worker.workerId(), worker.endpoint(), worker.invocationSecret(), invocations)
                .thenAccept(outcomes -> {
                    for (int i = 0; i < assignments.size(); i++) {
                        settle(assignments.get(i), outcomes.get(i));
                    }
                });
    }

    private void send(Assignment a, List<OperationRecord> operations) {
        Claim c = a.claim();
        log.debug("Dispatching execution {} to worker {}", c.executionId(), a.worker().workerId());
        client.send(a.worker().workerId(), a.worker().endpoint(), a.worker().invocationSecret(),
                invocation(c, operations)).thenAccept(outcome -> settle(a, outcome));
    }

    private static Invocation invocation(Claim c, List<OperationRecord> operations) {
        return new Invocation(c.executionId().toString(), c.token().toString(), c.workflow(), c.version(), c.input(),
                operations, c.startedAt());
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
            ledger.release(c.executionId(), c.token(), clock.instant().plus(properties.dispatchRetryDelay()));
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
