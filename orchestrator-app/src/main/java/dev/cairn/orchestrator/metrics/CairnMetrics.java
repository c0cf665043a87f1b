package dev.cairn.orchestrator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The orchestrator's Micrometer meters, recorded where the work happens from what that work already knows (no
 * query of its own). Prometheus names: {@code cairn_executions_started_total{workflow}},
 * {@code cairn_executions_completed_total{workflow,status}}, {@code cairn_operations_total{type,status}},
 * {@code cairn_checkpoint_latency_seconds{request}}, {@code cairn_dispatch_latency_seconds},
 * {@code cairn_timer_lag_seconds}, {@code cairn_invocations_total{workflow,outcome}},
 * {@code cairn_callbacks_total{outcome}}, {@code cairn_retention_deleted_total}; the gauges are
 * {@link GaugeRefresher}'s.
 */
@Component
public class CairnMetrics {

    private final Meter.MeterProvider<Counter> started;
    private final Meter.MeterProvider<Counter> completed;
    private final Meter.MeterProvider<Counter> operations;
    private final Meter.MeterProvider<Counter> invocations;
    private final Meter.MeterProvider<Counter> callbacks;
    private final Meter.MeterProvider<Timer> checkpointLatency;
    private final Timer dispatchLatency;
    private final Timer timerLag;
    private final Counter retentionDeleted;

    public CairnMetrics(MeterRegistry registry) {
        started = Counter.builder("cairn.executions.started").description("Executions started")
                .withRegistry(registry);
        completed = Counter.builder("cairn.executions.completed")
                .description("Executions closed, by final status (SUCCEEDED, FAILED, TIMED_OUT, STOPPED)")
                .withRegistry(registry);
        operations = Counter.builder("cairn.operations")
                .description("Operation updates recorded from checkpoints, by operation type and the status they set")
                .withRegistry(registry);
        invocations = Counter.builder("cairn.invocations")
                .description("Invocations ended, by outcome (SUCCEEDED, FAILED, PENDING, LOST, REFUSED)")
                .withRegistry(registry);
        callbacks = Counter.builder("cairn.callbacks")
                .description("Callback requests and timeouts, by outcome")
                .withRegistry(registry);
        checkpointLatency = Timer.builder("cairn.checkpoint.latency")
                .description("Time to serve a checkpoint or completion request of a worker, commit included")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .withRegistry(registry);
        dispatchLatency = Timer.builder("cairn.dispatch.latency")
                .description("Time from an execution being ready to a worker accepting its invocation")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry);
        timerLag = Timer.builder("cairn.timer.lag")
                .description("Time from a timer being due to it having fired")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry);
        retentionDeleted = Counter.builder("cairn.retention.deleted")
                .description("Closed executions deleted by the retention sweeper, with everything they owned")
                .register(registry);
    }

    /** An execution of {@code workflow} was started (by a client or as a chained child). */
    public void executionStarted(String workflow) {
        started.withTags("workflow", workflow).increment();
    }

    /** An execution of {@code workflow} closed with {@code status}. */
    public void executionCompleted(String workflow, String status) {
        completed.withTags("workflow", workflow, "status", status).increment();
    }

    /** A checkpoint set an operation of {@code type} to {@code status}. */
    public void operation(String type, String status) {
        operations.withTags("type", type, "status", status).increment();
    }

    /** How long a checkpoint ({@code request} = checkpoint) or completion (complete) took to serve. */
    public void checkpointServed(String request, Duration took) {
        checkpointLatency.withTags("request", request).record(took);
    }

    /** An invocation of {@code workflow} ended with {@code outcome}. */
    public void invocation(String workflow, String outcome) {
        invocations.withTags("workflow", workflow, "outcome", outcome).increment();
    }

    /** A callback request or timeout ended with {@code outcome}. */
    public void callback(String outcome) {
        callbacks.withTags("outcome", outcome).increment();
    }

    /** A worker accepted an invocation this long after its execution became ready. */
    public void dispatched(Duration sinceReady) {
        dispatchLatency.record(sinceReady.isNegative() ? Duration.ZERO : sinceReady);
    }

    /** A timer fired this long after it was due. */
    public void timerFired(Duration lag) {
        timerLag.record(lag.isNegative() ? Duration.ZERO : lag);
    }

    /** The retention sweeper deleted {@code count} executions. */
    public void retentionDeleted(int count) {
        retentionDeleted.increment(count);
    }
}
