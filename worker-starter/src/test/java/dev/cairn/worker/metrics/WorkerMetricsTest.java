package dev.cairn.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.worker.replay.RunOutcome;
import dev.cairn.worker.replay.StepOutcome;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WorkerMetrics metrics = new WorkerMetrics(registry);

    @Test
    void timesStepBodiesByWorkflowAndOutcomeAsAHistogram() {
        metrics.stepFinished("order", "1", StepOutcome.SUCCEEDED, Duration.ofMillis(20));
        metrics.stepFinished("order", "2", StepOutcome.SUCCEEDED, Duration.ofMillis(40));
        metrics.stepFinished("order", "3", StepOutcome.RETRY, Duration.ofMillis(5));
        metrics.stepFinished("refund", "1", StepOutcome.FAILED, Duration.ofSeconds(2));

        Timer succeeded = registry.get("cairn.step.duration").tags("workflow", "order", "outcome", "SUCCEEDED").timer();
        assertThat(succeeded.count()).isEqualTo(2);
        assertThat(succeeded.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(60);
        assertThat(registry.get("cairn.step.duration").tags("workflow", "order", "outcome", "RETRY").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("cairn.step.duration").tags("workflow", "refund", "outcome", "FAILED").timer()
                .max(TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(registry.find("cairn.step.duration").timers()).hasSize(3);
    }

    @Test
    void countsInvocationsByWorkflowAndOutcome() {
        metrics.invocationFinished("order", "e-1", RunOutcome.PENDING, Duration.ofMillis(3));
        metrics.invocationFinished("order", "e-1", RunOutcome.SUCCEEDED, Duration.ofMillis(3));
        metrics.invocationFinished("order", "e-2", RunOutcome.SUCCEEDED, Duration.ofMillis(3));
        metrics.invocationFinished("refund", "e-3", RunOutcome.FENCED, Duration.ofMillis(3));

        assertThat(registry.get("cairn.worker.invocations").tags("workflow", "order", "outcome", "SUCCEEDED")
                .counter().count()).isEqualTo(2);
        assertThat(registry.get("cairn.worker.invocations").tags("workflow", "order", "outcome", "PENDING")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("cairn.worker.invocations").tags("workflow", "refund", "outcome", "FENCED")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void gaugesTheInvocationsInFlight() {
        AtomicInteger inFlight = new AtomicInteger(3);
        WorkerMetrics.gaugeInFlight(registry, inFlight::get);

        assertThat(registry.get("cairn.worker.in.flight").gauge().value()).isEqualTo(3);
        inFlight.set(1);
        assertThat(registry.get("cairn.worker.in.flight").gauge().value()).isEqualTo(1);
    }

    @Test
    void scrapesInPrometheusFormatWithHistogramBuckets() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WorkerMetrics onPrometheus = new WorkerMetrics(prometheus);
        WorkerMetrics.gaugeInFlight(prometheus, () -> 2);

        onPrometheus.stepFinished("order", "1", StepOutcome.SUCCEEDED, Duration.ofMillis(20));
        onPrometheus.invocationFinished("order", "e-1", RunOutcome.SUCCEEDED, Duration.ofMillis(25));

        assertThat(prometheus.scrape())
                .contains("cairn_step_duration_seconds_bucket{outcome=\"SUCCEEDED\",workflow=\"order\",le=\"")
                .contains("cairn_step_duration_seconds_count{outcome=\"SUCCEEDED\",workflow=\"order\"} 1")
                .contains("cairn_worker_invocations_total{outcome=\"SUCCEEDED\",workflow=\"order\"} 1")
                .contains("cairn_worker_in_flight 2");
    }
}
