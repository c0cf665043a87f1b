package dev.cairn.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.Serdes;
import dev.cairn.worker.client.OrchestratorClient;
import dev.cairn.worker.duplicates.DuplicateBeans;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import dev.cairn.worker.invocation.InvocationEndpoint;
import dev.cairn.worker.invocation.InvocationPool;
import dev.cairn.worker.invocation.InvocationSecret;
import dev.cairn.worker.metrics.WorkerMetrics;
import dev.cairn.worker.registration.WorkerHealthIndicator;
import dev.cairn.worker.registration.WorkerLifecycle;
import dev.cairn.worker.replay.EngineListener;
import dev.cairn.worker.replay.JsonSerdes;
import dev.cairn.worker.replay.PayloadLimit;
import dev.cairn.worker.replay.ReplayEngine;
import dev.cairn.worker.replay.RunOutcome;
import dev.cairn.worker.replay.RunResult;
import dev.cairn.worker.replay.WorkflowBinding;
import dev.cairn.worker.sample.GatedWorkflow;
import dev.cairn.worker.sample.GreetingWorkflow;
import dev.cairn.worker.sample.SampleBeans;
import dev.cairn.worker.workflow.InvalidWorkflowException;
import dev.cairn.worker.workflow.WorkflowCatalog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.function.RouterFunction;

class CairnWorkerAutoConfigurationTest {

    private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CairnWorkerAutoConfiguration.class, JacksonAutoConfiguration.class))
            .withPropertyValues("cairn.worker.orchestrator-url=http://127.0.0.1:1");

    @Test
    void registersDurableWorkflowClassesOfTheApplicationsPackagesAsBeans() {
        contextRunner.withUserConfiguration(SampleBeans.class).run(context -> {
            assertThat(context).hasSingleBean(GreetingWorkflow.class).hasSingleBean(GatedWorkflow.class);
            WorkflowCatalog catalog = context.getBean(WorkflowCatalog.class);
            assertThat(catalog.refs()).extracting(r -> r.name() + ":" + r.version())
                    .containsExactlyInAnyOrder("greeting:1", "gated:2");
            WorkflowBinding greeting = catalog.find("greeting", "1").orElseThrow();
            assertThat(greeting.inputType()).isEqualTo((Type) String.class);
            assertThat(greeting.outputType()).isEqualTo((Type) String.class);
            assertThat(catalog.find("gated", "2").orElseThrow().inputType()).isEqualTo((Type) Void.class);
        });
    }

    @Test
    void providesTheWorkerBeans() {
        contextRunner.withUserConfiguration(SampleBeans.class).run(context -> assertThat(context)
                .hasSingleBean(ReplayEngine.class)
                .hasSingleBean(InvocationPool.class)
                .hasSingleBean(WorkerLifecycle.class)
                .hasSingleBean(WorkerHealthIndicator.class)
                .hasSingleBean(RouterFunction.class)
                .hasSingleBean(CairnWorkerProperties.class)
                .getBean(Serdes.class).isInstanceOf(JsonSerdes.class));
    }

    @Test
    void makesOneInvocationSecretThatTheEndpointAndTheRegistrationShare() {
        contextRunner.withUserConfiguration(SampleBeans.class).run(context -> {
            assertThat(context).hasSingleBean(InvocationSecret.class).hasSingleBean(InvocationEndpoint.class);
            assertThat(context.getBean(InvocationSecret.class).value()).matches("[A-Za-z0-9_-]{43}");
        });
        contextRunner.withUserConfiguration(SampleBeans.class, GivenSecret.class).run(context ->
                assertThat(context.getBean(InvocationSecret.class)).isSameAs(GivenSecret.SECRET));
    }

    @Test
    void publishesMetricsOnlyWhenThereIsAMeterRegistry() {
        contextRunner.withUserConfiguration(SampleBeans.class).run(context -> assertThat(context)
                .doesNotHaveBean(WorkerMetrics.class)
                .doesNotHaveBean(EngineListener.class));
        contextRunner.withUserConfiguration(SampleBeans.class, Meters.class)
                .withPropertyValues("cairn.worker.retry-for=100ms").run(context -> {
            assertThat(context).hasSingleBean(WorkerMetrics.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("cairn.worker.in.flight").gauge().value()).isZero();

            ReplayEngine engine = context.getBean(ReplayEngine.class);
            WorkflowBinding greeting = context.getBean(WorkflowCatalog.class).find("greeting", "1").orElseThrow();
            RunResult result = engine.run(new Invocation("exec-1", "token-1", "greeting", "1", "\"Ada\"",
                    List.of(new OperationRecord("1", null, OperationType.STEP, "Step", "greet",
                            OperationStatus.SUCCEEDED, 1, null, null, "\"Hello, Ada!\"", null, null, null, null,
                            null)),
                    Instant.now()), greeting);

            assertThat(result.outcome()).as("the orchestrator at port 1 is unreachable").isEqualTo(RunOutcome.ABANDONED);
            assertThat(registry.get("cairn.worker.invocations").tags("workflow", "greeting", "outcome", "ABANDONED")
                    .counter().count()).isEqualTo(1);
            assertThat(registry.find("cairn.step.duration").timers()).as("the step was replayed").isEmpty();
        });
    }

    @Test
    void bindsTheProperties() {
        contextRunner.withUserConfiguration(SampleBeans.class)
                .withPropertyValues("cairn.worker.max-concurrency=3", "cairn.worker.worker-id=w-7",
                        "cairn.worker.heartbeat-interval=750ms", "cairn.worker.token=t0k")
                .run(context -> {
                    CairnWorkerProperties properties = context.getBean(CairnWorkerProperties.class);
                    assertThat(properties.maxConcurrency()).isEqualTo(3);
                    assertThat(properties.heartbeatInterval()).hasMillis(750);
                    assertThat(context.getBean(InvocationPool.class).capacity()).isEqualTo(3);
                    assertThat(context.getBean(WorkerLifecycle.class).state().workerId()).isEqualTo("w-7");
                });
    }

    @Test
    void bindsTheCheckpointBatchProperties() {
        contextRunner.withUserConfiguration(SampleBeans.class).run(context -> {
            assertThat(context.getBean(CairnWorkerProperties.class).checkpointBatch())
                    .isEqualTo(new CairnWorkerProperties.CheckpointBatch(true, 1, 64, DataSize.ofMegabytes(1)));
            assertThat(context.getBean(OrchestratorClient.class).batching()).isTrue();
        });
        contextRunner.withUserConfiguration(SampleBeans.class)
                .withPropertyValues("cairn.worker.checkpoint-batch.max-in-flight=2",
                        "cairn.worker.checkpoint-batch.max-items=16", "cairn.worker.checkpoint-batch.max-bytes=256KB")
                .run(context -> assertThat(context.getBean(CairnWorkerProperties.class).checkpointBatch())
                        .isEqualTo(new CairnWorkerProperties.CheckpointBatch(true, 2, 16, DataSize.ofKilobytes(256))));
        contextRunner.withUserConfiguration(SampleBeans.class)
                .withPropertyValues("cairn.worker.checkpoint-batch.enabled=false")
                .run(context -> assertThat(context.getBean(OrchestratorClient.class).batching()).isFalse());
        contextRunner.withUserConfiguration(SampleBeans.class)
                .withPropertyValues("cairn.worker.checkpoint-batch.max-in-flight=0")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void thePayloadLimitFallsBackToTheConfiguredSizeUntilTheOrchestratorStatesOne() {
        contextRunner.withUserConfiguration(SampleBeans.class)
                .withPropertyValues("cairn.worker.payload-limit=256KB")
                .run(context -> {
                    PayloadLimit limit = context.getBean(PayloadLimit.class);
                    assertThat(context.getBean(ReplayEngine.class).payloadLimit()).isSameAs(limit);
                    assertThat(limit.bytes()).isEqualTo(256 * 1024);
                    limit.told(4096);
                    assertThat(limit.bytes()).isEqualTo(4096);
                });
        contextRunner.withUserConfiguration(SampleBeans.class).run(context ->
                assertThat(context.getBean(PayloadLimit.class).bytes()).isEqualTo(PayloadLimit.DEFAULT_BYTES));
    }

    @Test
    void backsOffWhenDisabled() {
        contextRunner.withUserConfiguration(SampleBeans.class).withPropertyValues("cairn.worker.enabled=false")
                .run(context -> assertThat(context)
                        .doesNotHaveBean(WorkflowCatalog.class)
                        .doesNotHaveBean(GreetingWorkflow.class)
                        .doesNotHaveBean(WorkerLifecycle.class)
                        .doesNotHaveBean(ReplayEngine.class));
    }

    @Test
    void usesTheApplicationsSerdes() {
        contextRunner.withUserConfiguration(SampleBeans.class, CustomSerdes.class)
                .run(context -> assertThat(context).getBean(Serdes.class).isSameAs(CustomSerdes.SERDES));
    }

    @Test
    void failsAtStartupWhenTwoWorkflowsShareANameAndVersion() {
        contextRunner.withUserConfiguration(DuplicateBeans.class).run(context -> assertThat(context)
                .hasFailed()
                .getFailure()
                .rootCause()
                .isInstanceOf(InvalidWorkflowException.class)
                .hasMessageContaining("Workflow 'order' version 1 is declared twice")
                .hasMessageContaining("FirstOrderWorkflow")
                .hasMessageContaining("SecondOrderWorkflow"));
    }

    @Configuration(proxyBeanMethods = false)
    static class GivenSecret {

        static final InvocationSecret SECRET = new InvocationSecret("given-secret-of-the-test-0123456789");

        @Bean
        InvocationSecret givenSecret() {
            return SECRET;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Meters {

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomSerdes {

        static final Serdes SERDES = JsonSerdes.withDefaults();

        @Bean
        Serdes customSerdes() {
            return SERDES;
        }
    }
}
