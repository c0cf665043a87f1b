package dev.cairn.worker.registration;

import dev.cairn.worker.invocation.InvocationPool;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code cairnWorker} health: UP once registered with the orchestrator, UNKNOWN until then (so that an
 * unreachable orchestrator does not make the worker itself unhealthy).
 */
public final class WorkerHealthIndicator implements HealthIndicator {

    private final WorkerLifecycle lifecycle;
    private final InvocationPool pool;

    public WorkerHealthIndicator(WorkerLifecycle lifecycle, InvocationPool pool) {
        this.lifecycle = lifecycle;
        this.pool = pool;
    }

    @Override
    public Health health() {
        RegistrationState state = lifecycle.state();
        Health.Builder health = state.registered() ? Health.up() : Health.unknown();
        health.withDetail("workerId", state.workerId())
                .withDetail("registered", state.registered())
                .withDetail("inFlight", pool.inFlight())
                .withDetail("capacity", pool.capacity());
        if (state.endpoint() != null) {
            health.withDetail("endpoint", state.endpoint());
        }
        if (state.problem() != null) {
            health.withDetail("problem", state.problem());
        }
        return health.build();
    }
}
