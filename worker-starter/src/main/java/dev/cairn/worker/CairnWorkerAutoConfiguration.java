package dev.cairn.worker;

import dev.cairn.api.Serdes;
import dev.cairn.worker.client.ClientSettings;
import dev.cairn.worker.client.OrchestratorClient;
import dev.cairn.worker.client.ProtocolJson;
import dev.cairn.worker.invocation.BranchThreads;
import dev.cairn.worker.invocation.InvocationEndpoint;
import dev.cairn.worker.metrics.InvocationRequestObservations;
import dev.cairn.worker.invocation.InvocationPool;
import dev.cairn.worker.invocation.InvocationSecret;
import dev.cairn.worker.metrics.WorkerMetrics;
import dev.cairn.worker.registration.AdvertisedUrl;
import dev.cairn.worker.registration.RegistrationSettings;
import dev.cairn.worker.registration.WorkerHealthIndicator;
import dev.cairn.worker.registration.WorkerLifecycle;
import dev.cairn.worker.replay.EngineListener;
import dev.cairn.worker.replay.JsonSerdes;
import dev.cairn.worker.replay.PayloadLimit;
import dev.cairn.worker.replay.ReplayEngine;
import dev.cairn.worker.workflow.DurableWorkflowRegistrar;
import dev.cairn.worker.workflow.WorkflowCatalog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationPredicate;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a Spring Boot application into a Cairn worker: registers its {@code @DurableWorkflow} classes as beans,
 * serves {@code POST /cairn/invocations}, runs invocations with the replay engine, and registers and heartbeats
 * with the orchestrator. Off with {@code cairn.worker.enabled=false}. With a {@code MeterRegistry} bean it also
 * publishes {@link WorkerMetrics}.
 */
@AutoConfiguration(after = JacksonAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "cairn.worker.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CairnWorkerProperties.class)
@Import(DurableWorkflowRegistrar.class)
public final class CairnWorkerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    WorkflowCatalog cairnWorkflowCatalog(ListableBeanFactory beans) {
        return WorkflowCatalog.of(beans);
    }

    @Bean
    @ConditionalOnMissingBean
    Serdes cairnSerdes(ObjectProvider<JsonMapper> jsonMapper) {
        return new JsonSerdes(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()));
    }

    @Bean
    @ConditionalOnMissingBean
    OrchestratorClient cairnOrchestratorClient(CairnWorkerProperties properties) {
        CairnWorkerProperties.CheckpointBatch batch = properties.checkpointBatch();
        return new OrchestratorClient(new ClientSettings(URI.create(properties.orchestratorUrl()), properties.token(),
                properties.requestTimeout(), properties.retryFor(), Duration.ofMillis(100), Duration.ofSeconds(2),
                new ClientSettings.Batching(batch.enabled(), batch.maxInFlight(), batch.maxItems(),
                        batch.maxBytes().toBytes())));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    BranchThreads cairnBranchThreads() {
        return new BranchThreads();
    }

    @Bean
    @ConditionalOnMissingBean
    PayloadLimit cairnPayloadLimit(CairnWorkerProperties properties) {
        return new PayloadLimit(properties.payloadLimit().toBytes());
    }

    @Bean
    @ConditionalOnMissingBean
    ReplayEngine cairnReplayEngine(Serdes serdes, OrchestratorClient client, BranchThreads branchThreads,
            ObjectProvider<Clock> clock, PayloadLimit payloadLimit, ObjectProvider<EngineListener> listeners) {
        return new ReplayEngine(serdes, clock.getIfUnique(Clock::systemUTC), branchThreads.executor(), client,
                payloadLimit, EngineListener.of(listeners.orderedStream().toList()));
    }

    /** Made once per process start; registered with the orchestrator and expected back on every invocation. */
    @Bean
    @ConditionalOnMissingBean
    InvocationSecret cairnInvocationSecret() {
        return InvocationSecret.generate();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    InvocationPool cairnInvocationPool(ReplayEngine engine, CairnWorkerProperties properties) {
        return new InvocationPool(engine, properties.maxConcurrency(), properties.admissionWait());
    }

    @Bean
    @ConditionalOnMissingBean
    AdvertisedUrl cairnAdvertisedUrl(CairnWorkerProperties properties) {
        return new AdvertisedUrl(properties.advertisedUrl());
    }

    @Bean
    @ConditionalOnMissingBean
    WorkerLifecycle cairnWorkerLifecycle(OrchestratorClient client, WorkflowCatalog catalog, InvocationPool pool,
            AdvertisedUrl advertisedUrl, CairnWorkerProperties properties, ReplayEngine engine,
            InvocationSecret invocationSecret) {
        String workerId = properties.workerId() != null && !properties.workerId().isBlank()
                ? properties.workerId()
                : generatedWorkerId();
        return new WorkerLifecycle(client, catalog, pool, advertisedUrl,
                new RegistrationSettings(workerId, properties.heartbeatInterval(), properties.registrationRetry()),
                engine.payloadLimit(), invocationSecret);
    }

    private static String generatedWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "worker";
        }
        byte[] suffix = new byte[4];
        ThreadLocalRandom.current().nextBytes(suffix);
        return host + "-" + HexFormat.of().formatHex(suffix);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class InvocationEndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        InvocationEndpoint cairnInvocationEndpoint(WorkflowCatalog catalog, InvocationPool pool,
                InvocationSecret invocationSecret) {
            return new InvocationEndpoint(catalog, pool, ProtocolJson.create(), invocationSecret);
        }

        @Bean
        @ConditionalOnMissingBean(name = "cairnInvocationRoutes")
        RouterFunction<ServerResponse> cairnInvocationRoutes(InvocationEndpoint endpoint) {
            return endpoint.routes();
        }

        @Bean
        @ConditionalOnMissingBean(name = "cairnNoHttpServerObservationOfInvocations")
        ObservationPredicate cairnNoHttpServerObservationOfInvocations() {
            return InvocationRequestObservations.noHttpServerObservationOfInvocations();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnSingleCandidate(MeterRegistry.class)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        WorkerMetrics cairnWorkerMetrics(MeterRegistry registry) {
            return new WorkerMetrics(registry);
        }

        @Bean
        @ConditionalOnMissingBean(name = "cairnWorkerInFlightGauge")
        Gauge cairnWorkerInFlightGauge(MeterRegistry registry, InvocationPool pool) {
            return WorkerMetrics.gaugeInFlight(registry, pool::inFlight);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("cairnWorker")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "cairnWorkerHealthIndicator")
        WorkerHealthIndicator cairnWorkerHealthIndicator(WorkerLifecycle lifecycle, InvocationPool pool) {
            return new WorkerHealthIndicator(lifecycle, pool);
        }
    }
}
