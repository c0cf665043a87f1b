package dev.cairn.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.protocol.DispatchBatch;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.json.InvocationCodec;
import dev.cairn.worker.client.ProtocolJson;
import dev.cairn.worker.invocation.InvocationEndpoint;
import dev.cairn.worker.invocation.InvocationPool;
import dev.cairn.worker.invocation.InvocationSecret;
import dev.cairn.worker.sample.Gate;
import dev.cairn.worker.sample.Greeter;
import dev.cairn.worker.sample.SampleWorkerApplication;
import dev.cairn.worker.support.StandInOrchestrator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A worker application on a random port against a stand-in orchestrator, over real HTTP both ways. */
class WorkerHttpTest {

    private final JsonMapper json = ProtocolJson.create();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private StandInOrchestrator orchestrator;
    private ConfigurableApplicationContext worker;
    private int port;

    @BeforeEach
    void start() throws IOException {
        orchestrator = new StandInOrchestrator();
        startWorker();
    }

    private void startWorker(String... moreProperties) {
        List<String> properties = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off",
                "cairn.worker.orchestrator-url=" + orchestrator.url(),
                "cairn.worker.worker-id=w-test",
                "cairn.worker.token=t0k",
                "cairn.worker.max-concurrency=1",
                "management.endpoint.health.show-details=always"));
        properties.addAll(List.of(moreProperties));
        worker = new SpringApplicationBuilder(SampleWorkerApplication.class)
                .properties(properties.toArray(String[]::new))
                .run();
        port = ((WebServerApplicationContext) worker).getWebServer().getPort();
    }

    @AfterEach
    void stop() {
        if (worker.isActive()) {
            worker.getBean(Gate.class).open();
            worker.close();
        }
        orchestrator.close();
    }

    @Test
    void registersWithTheActualPortAndHeartbeats() {
        await().until(() -> orchestrator.received("/v1/workers/w-test/heartbeat").size() >= 2);

        StandInOrchestrator.Received registration = orchestrator.received("/v1/workers/register").get(0);
        assertThat(registration.authorization()).isEqualTo("Bearer t0k");
        assertThat(registration.body())
                .contains("\"workerId\":\"w-test\"")
                .containsPattern("\"endpoint\":\"http://[^\"]+:" + port + "\"")
                .contains("\"capacity\":1")
                .contains("{\"name\":\"greeting\",\"version\":\"1\"}")
                .contains("{\"name\":\"gated\",\"version\":\"2\"}");
    }

    @Test
    void heartbeatsProveTheInvocationSecretItRegisteredWith() {
        await().until(() -> orchestrator.received("/v1/workers/w-test/heartbeat").size() >= 2);

        String secret = worker.getBean(InvocationSecret.class).value();
        assertThat(orchestrator.received("/v1/workers/w-test/heartbeat"))
                .allSatisfy(h -> assertThat(h.workerSecret()).isEqualTo(secret));
    }

    @Test
    void registersAgainWhenAHeartbeatIsRefusedAsNotTheOwner() {
        await().until(() -> orchestrator.received("/v1/workers/w-test/heartbeat").size() >= 1);
        int registrations = orchestrator.received("/v1/workers/register").size();

        orchestrator.answer("/heartbeat", 409, "{\"status\":409,\"title\":\"Worker id taken\"}");

        await().until(() -> orchestrator.received("/v1/workers/register").size() > registrations);
    }

    @Test
    void registersWithTheInvocationSecretTheEndpointExpects() throws Exception {
        await().until(() -> orchestrator.received("/v1/workers/register").size() >= 1);

        JsonNode registration = json.readTree(orchestrator.received("/v1/workers/register").get(0).body());
        String secret = registration.path("invocationSecret").asString();
        assertThat(secret).matches("[A-Za-z0-9_-]{43}").isEqualTo(worker.getBean(InvocationSecret.class).value());
        assertThat(registration.path("invocationBatches").asBoolean()).as("takes batches of invocations").isTrue();

        HttpResponse<String> response = post(json.writeValueAsString(invocation("greeting", "1", "token-1", "\"Ada\"")),
                "Bearer " + secret);
        assertThat(response.statusCode()).isEqualTo(202);
        await().until(() -> !orchestrator.delivered("/v1/invocations/complete").isEmpty());
    }

    @Test
    void refusesInvocationsWithoutTheRightSecretWith401AndRunsNothing() throws Exception {
        String body = json.writeValueAsString(invocation("greeting", "1", "token-1", "\"Eve\""));
        String secret = worker.getBean(InvocationSecret.class).value();
        List<String> wrongAuthorizations = List.of("Bearer " + InvocationSecret.generate().value(),
                "Bearer " + secret.substring(1), "Bearer " + secret + "x", "bearer " + secret, secret,
                "Basic " + secret, "Bearer t0k", "Bearer ", "");

        List<HttpResponse<String>> refused = new java.util.ArrayList<>();
        refused.add(post(body, null));
        for (String authorization : wrongAuthorizations) {
            refused.add(post(body, authorization));
        }
        refused.add(post("{\"not\":", null));

        assertThat(refused).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(response.body()).contains("\"status\":401").doesNotContain(secret);
        });
        assertThat(worker.getBean(Greeter.class).calls()).isZero();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() ->
                orchestrator.delivered("/v1/invocations/checkpoints").isEmpty()
                        && orchestrator.delivered("/v1/invocations/complete").isEmpty());

        assertThat(post(body, "Bearer " + secret).statusCode()).isEqualTo(202);
        await().until(() -> !orchestrator.delivered("/v1/invocations/complete").isEmpty());
        assertThat(worker.getBean(Greeter.class).calls()).isEqualTo(1);
    }

    @Test
    void publishesStepAndInvocationMetrics() throws Exception {
        assertThat(postInvocation(invocation("greeting", "1", "token-1", "\"Ada\"")).statusCode()).isEqualTo(202);
        await().until(() -> !orchestrator.delivered("/v1/invocations/complete").isEmpty());

        MeterRegistry registry = worker.getBean(MeterRegistry.class);
        await().untilAsserted(() -> assertThat(registry.find("cairn.worker.invocations")
                .tags("workflow", "greeting", "outcome", "SUCCEEDED").counter())
                .isNotNull().satisfies(counter -> assertThat(counter.count()).isEqualTo(1)));
        assertThat(registry.get("cairn.step.duration").tags("workflow", "greeting", "outcome", "SUCCEEDED").timer()
                .count()).isEqualTo(1);
        assertThat(registry.get("cairn.worker.in.flight").gauge().value()).isZero();
        String scrape = worker.getBean(PrometheusMeterRegistry.class).scrape();
        assertThat(scrape).contains("cairn_step_duration_seconds_bucket{outcome=\"SUCCEEDED\",workflow=\"greeting\"");

        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
        await().untilAsserted(() -> assertThat(registry.find("http.server.requests").tag("uri", "/actuator/health")
                .timer()).as("other requests are observed").isNotNull());
        assertThat(registry.find("http.server.requests").timers()).as("invocation requests are not")
                .noneSatisfy(timer -> assertThat(timer.getId().getTag("uri")).startsWith("/cairn/invocations"));
    }

    @Test
    void acceptsAnInvocationAndCompletesItWithTheOrchestrator() throws Exception {
        HttpResponse<String> response = postInvocation(invocation("greeting", "1", "token-1", "\"Ada\""));

        assertThat(response.statusCode()).isEqualTo(202);
        await().until(() -> !orchestrator.delivered("/v1/invocations/complete").isEmpty());
        String completion = orchestrator.delivered("/v1/invocations/complete").get(0).body();
        assertThat(completion).contains("\"outcome\":\"SUCCEEDED\"")
                .contains("\"result\":\"\\\"Hello, Ada!\\\"\"")
                .contains("\"invocationToken\":\"token-1\"");
        assertThat(orchestrator.delivered("/v1/invocations/checkpoints").get(0).body())
                .contains("\"name\":\"greet\"").contains("\"action\":\"SUCCEED\"");
        assertThat(orchestrator.received("/v1/invocations/batch")).as("checkpoint and completion, each in a batch")
                .hasSize(2).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer t0k"));
        assertThat(orchestrator.received("/v1/invocations/checkpoints")).isEmpty();
    }

    @Test
    void answers404ForAWorkflowVersionThisWorkerDoesNotServe() throws Exception {
        HttpResponse<String> response = postInvocation(invocation("greeting", "9", "token-1", null));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"status\":404");
    }

    @Test
    void answers503WhenEverySlotIsTakenAnd400ForABodyThatIsNotAnInvocation() throws Exception {
        assertThat(postInvocation(invocation("gated", "2", "token-1", null)).statusCode()).isEqualTo(202);
        assertThat(worker.getBean(Gate.class).awaitReached()).isTrue();

        HttpResponse<String> full = postInvocation(invocation("greeting", "1", "token-2", "\"Bob\""));
        HttpResponse<String> again = postInvocation(invocation("gated", "2", "token-1", null));
        HttpResponse<String> garbage = post("{\"not\":");

        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(full.body()).contains("\"status\":503");
        assertThat(again.statusCode()).as("the same invocation again is accepted once").isEqualTo(202);
        assertThat(garbage.statusCode()).isEqualTo(400);
        worker.getBean(Gate.class).open();
        await().until(() -> orchestrator.delivered("/v1/invocations/complete").size() == 1);
    }

    @Test
    void admitsEachInvocationOfABatchAsItsOwnRequestWouldBeAndAnswersThemInOrder() throws Exception {
        Invocation notServed = invocation("greeting", "9", "token-3", null);
        Invocation incomplete = new Invocation("exec-4", null, "greeting", "1", null, List.of(), null);
        HttpResponse<String> response = postBatch(invocation("gated", "2", "token-1", null),
                invocation("greeting", "1", "token-2", "\"Bob\""), notServed, incomplete,
                invocation("gated", "2", "token-1", null));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode results = json.readTree(response.body()).path("results");
        assertThat(results.valueStream().map(r -> r.path("status").asInt()).toList())
                .as("runs; no slot left (one slot); not served; not an invocation; the first again, already running")
                .containsExactly(202, 503, 404, 400, 202);
        assertThat(results.get(1).path("title").asString()).isEqualTo("No free capacity");
        assertThat(results.get(2).path("detail").asString()).contains("'greeting' version 9");
        assertThat(results.get(3).path("detail").asString()).contains("invocationToken");
        assertThat(worker.getBean(Gate.class).awaitReached()).isTrue();
        worker.getBean(Gate.class).open();
        await().until(() -> orchestrator.delivered("/v1/invocations/complete").size() == 1);
        assertThat(worker.getBean(Greeter.class).calls()).as("only the gated invocation ran").isZero();
    }

    @Test
    void runsEveryInvocationOfABatchThatFindsASlot() throws Exception {
        worker.close();
        startWorker("cairn.worker.max-concurrency=3");

        HttpResponse<String> response = postBatch(invocation("greeting", "1", "token-1", "\"Ada\""),
                invocation("greeting", "1", "token-2", "\"Bob\""), invocation("greeting", "1", "token-3", "\"Cy\""));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json.readTree(response.body()).path("results").valueStream().map(r -> r.path("status").asInt())
                .toList()).containsExactly(202, 202, 202);
        await().until(() -> orchestrator.delivered("/v1/invocations/complete").size() == 3);
        assertThat(worker.getBean(Greeter.class).calls()).isEqualTo(3);
    }

    @Test
    void refusesABatchWithoutTheSecretOrThatIsNotABatchAndRunsNothing() throws Exception {
        String batch = "{\"invocations\":[" + json.writeValueAsString(invocation("greeting", "1", "token-1", "\"Eve\""))
                + "]}";
        HttpResponse<String> anonymous = post(InvocationEndpoint.BATCH_PATH, batch, null);
        HttpResponse<String> wrong = post(InvocationEndpoint.BATCH_PATH, batch,
                "Bearer " + InvocationSecret.generate().value());
        String secret = "Bearer " + worker.getBean(InvocationSecret.class).value();
        HttpResponse<String> garbage = post(InvocationEndpoint.BATCH_PATH, "{\"invocations\":[", secret);
        HttpResponse<String> nullItem = post(InvocationEndpoint.BATCH_PATH, "{\"invocations\":[null]}", secret);

        assertThat(List.of(anonymous, wrong)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(401));
        assertThat(List.of(garbage, nullItem)).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
        });
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() ->
                orchestrator.delivered("/v1/invocations/complete").isEmpty());
        assertThat(worker.getBean(Greeter.class).calls()).isZero();
    }

    @Test
    void anInvocationArrivingWhileTheLastSlotIsBeingFreedWaitsForItInsteadOfBeingRefused() throws Exception {
        // a wait long enough that how long the gated invocation takes to finish once opened cannot matter
        worker.close();
        startWorker("cairn.worker.admission-wait=1m");
        assertThat(postInvocation(invocation("gated", "2", "token-1", null)).statusCode()).isEqualTo(202);
        assertThat(worker.getBean(Gate.class).awaitReached()).isTrue();

        // the only slot frees after the next invocation arrived (the orchestrator counts it free as soon as the
        // completion is committed, a moment before the worker frees it)
        CompletableFuture<HttpResponse<String>> next = postInvocationAsync(
                invocation("greeting", "1", "token-2", "\"Bob\""));
        InvocationPool pool = worker.getBean(InvocationPool.class);
        await().until(() -> pool.waitingForSlot() == 1);
        worker.getBean(Gate.class).open();

        assertThat(next.get(1, TimeUnit.MINUTES).statusCode()).isEqualTo(202);
        await().until(() -> orchestrator.delivered("/v1/invocations/complete").size() == 2);
    }

    @Test
    void shuttingDownAbortsInFlightInvocationsWithoutWritingAnything() throws Exception {
        await().until(() -> !orchestrator.received("/v1/workers/register").isEmpty());
        assertThat(postInvocation(invocation("gated", "2", "token-1", null)).statusCode()).isEqualTo(202);
        assertThat(worker.getBean(Gate.class).awaitReached()).isTrue();

        worker.close();

        assertThat(orchestrator.delivered("/v1/invocations/checkpoints")).isEmpty();
        assertThat(orchestrator.delivered("/v1/invocations/complete")).isEmpty();
    }

    @Test
    void reportsRegistrationInTheHealthEndpoint() throws Exception {
        await().until(() -> !orchestrator.received("/v1/workers/register").isEmpty());

        await().untilAsserted(() -> {
            JsonNode worker = json.readTree(get("/actuator/health").body()).path("components").path("cairnWorker");
            assertThat(worker.path("status").asString()).isEqualTo("UP");
            assertThat(worker.path("details").path("workerId").asString()).isEqualTo("w-test");
        });
    }

    private Invocation invocation(String workflow, String version, String token, String input) {
        return new Invocation("exec-1", token, workflow, version, input, List.of(), Instant.now());
    }

    private HttpResponse<String> postInvocation(Invocation invocation) throws Exception {
        return post(json.writeValueAsString(invocation));
    }

    /** Posts with the worker's invocation secret, as the orchestrator does. */
    private HttpResponse<String> post(String body) throws Exception {
        return post(body, "Bearer " + worker.getBean(InvocationSecret.class).value());
    }

    private CompletableFuture<HttpResponse<String>> postInvocationAsync(Invocation invocation) throws Exception {
        return http.sendAsync(invocationRequest(json.writeValueAsString(invocation),
                "Bearer " + worker.getBean(InvocationSecret.class).value()), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String body, String authorization) throws Exception {
        return post(InvocationEndpoint.PATH, body, authorization);
    }

    private HttpResponse<String> postBatch(Invocation... invocations) throws Exception {
        return post(InvocationEndpoint.BATCH_PATH, new String(new InvocationCodec(json.tokenStreamFactory())
                .write(new DispatchBatch(List.of(invocations))), StandardCharsets.UTF_8),
                "Bearer " + worker.getBean(InvocationSecret.class).value());
    }

    private HttpResponse<String> post(String path, String body, String authorization) throws Exception {
        return http.send(invocationRequest(path, body, authorization), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest invocationRequest(String body, String authorization) {
        return invocationRequest(InvocationEndpoint.PATH, body, authorization);
    }

    private HttpRequest invocationRequest(String path, String body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
