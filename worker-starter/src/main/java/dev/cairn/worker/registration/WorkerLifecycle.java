package dev.cairn.worker.registration;

import dev.cairn.protocol.Heartbeat;
import dev.cairn.protocol.RegistrationAccepted;
import dev.cairn.protocol.WorkerRegistration;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.worker.client.OrchestratorClient;
import dev.cairn.worker.client.UnknownWorkerException;
import dev.cairn.worker.client.WorkerIdTakenException;
import dev.cairn.worker.invocation.InvocationPool;
import dev.cairn.worker.invocation.InvocationSecret;
import dev.cairn.worker.replay.PayloadLimit;
import dev.cairn.worker.workflow.WorkflowCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Registers the worker with the orchestrator in the background, retrying until it succeeds (the application
 * starts even when the orchestrator is down), then heartbeats, listing the running invocations so that their
 * leases are extended. On stop: no more heartbeats, no new invocations, and every running invocation is aborted;
 * the orchestrator re-dispatches them once their leases expire.
 */
public final class WorkerLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WorkerLifecycle.class);

    private final OrchestratorClient client;
    private final WorkflowCatalog catalog;
    private final InvocationPool pool;
    private final AdvertisedUrl advertisedUrl;
    private final RegistrationSettings settings;
    private final PayloadLimit payloadLimit;
    private final InvocationSecret invocationSecret;
    private final Object lock = new Object();
    private ScheduledExecutorService scheduler;
    private volatile boolean running;
    private volatile RegistrationState state;

    /**
     * @param payloadLimit told the limit the orchestrator states in its registration answer
     * @param invocationSecret sent with every registration; the invocation endpoint must expect the same one
     */
    public WorkerLifecycle(OrchestratorClient client, WorkflowCatalog catalog, InvocationPool pool,
            AdvertisedUrl advertisedUrl, RegistrationSettings settings, PayloadLimit payloadLimit,
            InvocationSecret invocationSecret) {
        this.client = client;
        this.payloadLimit = payloadLimit;
        this.invocationSecret = Objects.requireNonNull(invocationSecret, "invocationSecret");
        this.catalog = catalog;
        this.pool = pool;
        this.advertisedUrl = advertisedUrl;
        this.settings = settings;
        this.state = RegistrationState.unregistered(settings.workerId(), null);
    }

    @Override
    public void start() {
        synchronized (lock) {
            if (running) {
                return;
            }
            scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "cairn-worker-registration");
                thread.setDaemon(true);
                return thread;
            });
            running = true;
            scheduler.execute(this::register);
        }
    }

    @Override
    public void stop() {
        synchronized (lock) {
            running = false;
            if (scheduler != null) {
                scheduler.shutdownNow();
                scheduler = null;
            }
        }
        int aborted = pool.stop();
        log.info("Worker {} stopped; {} in-flight invocation(s) aborted, to be re-dispatched when their leases expire",
                settings.workerId(), aborted);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the web server (its port is needed) and stopped before it. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    /** Whether the orchestrator accepted this worker, for health checks. */
    public RegistrationState state() {
        return state;
    }

    private void register() {
        if (!running) {
            return;
        }
        Optional<String> endpoint = advertisedUrl.get();
        if (endpoint.isEmpty()) {
            state = RegistrationState.unregistered(settings.workerId(), "the web server's port is not known yet");
            schedule(this::register, settings.registrationRetry());
            return;
        }
        try {
            RegistrationAccepted accepted = client.register(new WorkerRegistration(settings.workerId(),
                    endpoint.get(), pool.capacity(), catalog.refs(), invocationSecret.value(), true));
            Duration interval = accepted.heartbeatInterval() != null && !accepted.heartbeatInterval().isNegative()
                    && !accepted.heartbeatInterval().isZero()
                    ? accepted.heartbeatInterval()
                    : settings.heartbeatInterval();
            payloadLimit.told(accepted.payloadLimit());
            state = RegistrationState.registered(settings.workerId(), endpoint.get(), interval);
            log.info("Worker {} registered at {} serving {}; heartbeat every {}, payload limit {} bytes",
                    settings.workerId(), endpoint.get(), describe(catalog.refs()), interval, payloadLimit.bytes());
            schedule(this::heartbeat, interval);
        } catch (RuntimeException e) {
            state = RegistrationState.unregistered(settings.workerId(), e.getMessage());
            log.warn("Worker {} could not register with the orchestrator, retrying in {}: {}",
                    settings.workerId(), settings.registrationRetry(), e.getMessage());
            schedule(this::register, settings.registrationRetry());
        }
    }

    private void heartbeat() {
        if (!running) {
            return;
        }
        Duration interval = state.heartbeatInterval() != null ? state.heartbeatInterval()
                : settings.heartbeatInterval();
        try {
            client.heartbeat(settings.workerId(), new Heartbeat(pool.inFlight(), pool.running()),
                    invocationSecret.value());
            schedule(this::heartbeat, interval);
        } catch (UnknownWorkerException e) {
            log.info("The orchestrator forgot worker {}; registering again", settings.workerId());
            state = RegistrationState.unregistered(settings.workerId(), e.getMessage());
            register();
        } catch (WorkerIdTakenException e) {
            log.warn("The orchestrator holds worker id {} for another worker; registering again (refused until that "
                    + "worker is dead and expired): {}", settings.workerId(), e.getMessage());
            state = RegistrationState.unregistered(settings.workerId(), e.getMessage());
            register();
        } catch (RuntimeException e) {
            log.warn("Heartbeat of worker {} failed, next in {}: {}", settings.workerId(), interval, e.getMessage());
            schedule(this::heartbeat, interval);
        }
    }

    private static String describe(List<WorkflowRef> workflows) {
        return workflows.stream().map(w -> w.name() + " v" + w.version()).collect(Collectors.joining(", "));
    }

    private void schedule(Runnable task, Duration delay) {
        synchronized (lock) {
            if (!running || scheduler == null) {
                return;
            }
            try {
                scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                log.debug("Worker {} is stopping; not scheduling more", settings.workerId());
            }
        }
    }
}
