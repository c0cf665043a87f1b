package dev.cairn.worker.metrics;

import dev.cairn.worker.replay.EngineListener;
import dev.cairn.worker.replay.RunOutcome;
import dev.cairn.worker.replay.StepOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The worker's Micrometer metrics, fed by the replay engine as an {@link EngineListener}:
 * <ul>
 *   <li>{@value #STEP_DURATION} (timer, histogram; tags {@code workflow}, {@code outcome} = {@code SUCCEEDED},
 *       {@code FAILED} or {@code RETRY}): how long each step body that ran took, replayed steps not counted;</li>
 *   <li>{@value #INVOCATIONS} (counter; tags {@code workflow}, {@code outcome} = a {@link RunOutcome}):
 *       invocations that ended;</li>
 *   <li>{@value #IN_FLIGHT} (gauge, registered by {@link #gaugeInFlight}): invocations running now.</li>
 * </ul>
 */
public final class WorkerMetrics implements EngineListener {

    public static final String STEP_DURATION = "cairn.step.duration";
    public static final String INVOCATIONS = "cairn.worker.invocations";
    public static final String IN_FLIGHT = "cairn.worker.in.flight";

    private record Key(String workflow, String outcome) {
    }

    private final MeterRegistry registry;
    private final Map<Key, Timer> stepTimers = new ConcurrentHashMap<>();
    private final Map<Key, Counter> invocationCounters = new ConcurrentHashMap<>();

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Registers {@value #IN_FLIGHT}, reading {@code inFlight} whenever the registry is read. */
    public static Gauge gaugeInFlight(MeterRegistry registry, IntSupplier inFlight) {
        Objects.requireNonNull(inFlight, "inFlight");
        return Gauge.builder(IN_FLIGHT, inFlight::getAsInt)
                .description("Invocations this worker runs now")
                .strongReference(true)
                .register(registry);
    }

    @Override
    public void stepFinished(String workflow, String operationId, StepOutcome outcome, Duration duration) {
        stepTimers.computeIfAbsent(new Key(workflow, outcome.name()), key -> Timer.builder(STEP_DURATION)
                        .description("How long step bodies ran on this worker (replayed steps not counted)")
                        .tag("workflow", key.workflow())
                        .tag("outcome", key.outcome())
                        .publishPercentileHistogram()
                        .register(registry))
                .record(duration);
    }

    @Override
    public void invocationFinished(String workflow, String executionId, RunOutcome outcome, Duration duration) {
        invocationCounters.computeIfAbsent(new Key(workflow, outcome.name()), key -> Counter.builder(INVOCATIONS)
                        .description("Invocations that ended on this worker, by outcome")
                        .tag("workflow", key.workflow())
                        .tag("outcome", key.outcome())
                        .register(registry))
                .increment();
    }
}
