package dev.cairn.worker.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.Heartbeat;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.OperationUpdate;
import dev.cairn.protocol.RegistrationAccepted;
import dev.cairn.protocol.WorkerRegistration;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.worker.client.ClientSettings.Batching;
import dev.cairn.worker.replay.InvocationFencedException;
import dev.cairn.worker.replay.OrchestratorUnavailableException;
import dev.cairn.worker.support.StandInOrchestrator;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OrchestratorClientTest {

    private static final Batching BATCHING = new Batching(true, 1, 64, 1024 * 1024);

    private final StandInOrchestrator orchestrator = new StandInOrchestrator();
    private final OrchestratorClient client = new OrchestratorClient(settings(orchestrator.url(), "s3cret"));
    private final ExecutorService callers = Executors.newCachedThreadPool();

    OrchestratorClientTest() throws java.io.IOException {
    }

    @AfterEach
    void close() throws InterruptedException {
        orchestrator.close();
        callers.shutdownNow();
        callers.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static ClientSettings settings(String url, String token) {
        return new ClientSettings(URI.create(url), token, Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofMillis(10), Duration.ofMillis(50), BATCHING);
    }

    private OrchestratorClient client(boolean batching) {
        return batching ? client
                : new OrchestratorClient(settings(orchestrator.url(), "s3cret").withBatching(Batching.OFF));
    }

    private static CheckpointRequest checkpoint() {
        return checkpoint("exec-1");
    }

    private static CheckpointRequest checkpoint(String executionId) {
        return new CheckpointRequest(executionId, "token-1", List.of(new OperationUpdate("1", null,
                OperationType.STEP, "Step", "charge", OperationAction.RETRY, 1, null,
                new ErrorInfo("java.lang.IllegalStateException", "down", null), null,
                Instant.parse("2030-01-01T00:00:02Z"))));
    }

    private static CompletionRequest completion(String executionId) {
        return new CompletionRequest(executionId, "token-1", InvocationOutcome.SUCCEEDED, "\"ok\"", null, List.of(),
                Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void registersWithABearerTokenAndReadsTheHeartbeatInterval() {
        RegistrationAccepted accepted = client.register(new WorkerRegistration("w-1", "http://10.0.0.1:8081", 4,
                List.of(new WorkflowRef("greeting", "1"))));

        assertThat(accepted.heartbeatInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(accepted.payloadLimit()).as("not stated by this orchestrator").isZero();
        StandInOrchestrator.Received request = orchestrator.received("/v1/workers/register").get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.authorization()).isEqualTo("Bearer s3cret");
        assertThat(request.body()).contains("\"endpoint\":\"http://10.0.0.1:8081\"")
                .contains("\"workflows\":[{\"name\":\"greeting\",\"version\":\"1\"}]");
    }

    @Test
    void sendsNoAuthorizationWithoutAToken() {
        OrchestratorClient anonymous = new OrchestratorClient(settings(orchestrator.url(), null));

        anonymous.heartbeat("w-1", new Heartbeat(0, List.of()));
        anonymous.checkpoint(checkpoint());

        assertThat(orchestrator.received("/v1/workers/w-1/heartbeat")).singleElement()
                .satisfies(r -> assertThat(r.authorization()).isNull());
        assertThat(orchestrator.received("/v1/invocations/batch")).singleElement()
                .satisfies(r -> assertThat(r.authorization()).isNull());
    }

    @ParameterizedTest(name = "batching {0}")
    @ValueSource(booleans = {true, false})
    void writesCheckpointsWithIsoInstantsAndWithoutNullFields(boolean batching) {
        client(batching).checkpoint(checkpoint());

        String body = orchestrator.delivered("/v1/invocations/checkpoints").get(0).body();
        assertThat(body).contains("\"nextAttemptAt\":\"2030-01-01T00:00:02Z\"")
                .contains("\"invocationToken\":\"token-1\"")
                .doesNotContain("null");
    }

    @Test
    void sendsCheckpointsAndCompletionsAsBatchItemsWithTheToken() {
        client.checkpoint(checkpoint("exec-1"));
        client.complete(completion("exec-1"));

        assertThat(orchestrator.received("/v1/invocations/batch")).hasSize(2).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.authorization()).isEqualTo("Bearer s3cret");
        });
        assertThat(orchestrator.received("/v1/invocations/batch").get(0).body())
                .startsWith("{\"items\":[{\"checkpoint\":{\"executionId\":\"exec-1\"");
        assertThat(orchestrator.received("/v1/invocations/batch").get(1).body())
                .startsWith("{\"items\":[{\"completion\":{\"executionId\":\"exec-1\"");
        assertThat(orchestrator.received("/v1/invocations/checkpoints")).isEmpty();
        assertThat(orchestrator.received("/v1/invocations/complete")).isEmpty();
        assertThat(client.batching()).isTrue();
    }

    @Test
    void withBatchingOffEachMessageGoesToItsOwnEndpoint() {
        OrchestratorClient single = client(false);

        single.checkpoint(checkpoint("exec-1"));
        single.complete(completion("exec-1"));

        assertThat(orchestrator.received("/v1/invocations/checkpoints")).singleElement()
                .satisfies(r -> assertThat(r.authorization()).isEqualTo("Bearer s3cret"));
        assertThat(orchestrator.received("/v1/invocations/complete")).hasSize(1);
        assertThat(orchestrator.received("/v1/invocations/batch")).isEmpty();
        assertThat(single.batching()).isFalse();
    }

    @ParameterizedTest(name = "batching {0}")
    @ValueSource(booleans = {true, false})
    void aConflictIsAFencedInvocation(boolean batching) {
        orchestrator.answer("/checkpoints", 409, "{\"status\":409}");

        assertThatThrownBy(() -> client(batching).checkpoint(checkpoint()))
                .isInstanceOf(InvocationFencedException.class);
        assertThat(orchestrator.delivered("/checkpoints")).hasSize(1);
    }

    @ParameterizedTest(name = "batching {0}")
    @ValueSource(booleans = {true, false})
    void transientErrorsAreRetriedUntilTheRequestIsAccepted(boolean batching) {
        orchestrator.answer("/complete", 503, "{}").answer("/complete", 502, "{}");

        client(batching).complete(completion("exec-1"));

        assertThat(orchestrator.delivered("/complete")).hasSize(3);
    }

    @Test
    void aWholeBatchAnsweredWithAServerErrorIsRetried() {
        orchestrator.answer("/batch", 503, "{\"status\":503}").answer("/batch", 429, "{\"status\":429}");

        client.checkpoint(checkpoint());

        assertThat(orchestrator.received("/v1/invocations/batch")).hasSize(3);
        assertThat(orchestrator.delivered("/checkpoints")).as("the first two were not taken apart").hasSize(1);
    }

    @ParameterizedTest(name = "batching {0}")
    @ValueSource(booleans = {true, false})
    void anUnreachableOrchestratorIsGivenUpOnAfterTheRetryBudget(boolean batching) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        OrchestratorClient unreachable = new OrchestratorClient(new ClientSettings(
                URI.create("http://127.0.0.1:" + closedPort), null, Duration.ofSeconds(1), Duration.ofMillis(300),
                Duration.ofMillis(10), Duration.ofMillis(50), batching ? BATCHING : Batching.OFF));

        assertThatThrownBy(() -> unreachable.checkpoint(checkpoint()))
                .isInstanceOf(OrchestratorUnavailableException.class);
    }

    @Test
    void aHeartbeatForAnUnknownWorkerAsksForRegistration() {
        orchestrator.answer("/heartbeat", 404, "{}");

        assertThatThrownBy(() -> client.heartbeat("w-1", new Heartbeat(0, List.of())))
                .isInstanceOf(UnknownWorkerException.class);
    }

    @ParameterizedTest(name = "batching {0}")
    @ValueSource(booleans = {true, false})
    void otherClientErrorsAreRejectionsAndAreNotRetried(boolean batching) {
        orchestrator.answer("/checkpoints", 400, "bad");

        assertThatThrownBy(() -> client(batching).checkpoint(checkpoint()))
                .isInstanceOf(OrchestratorRejectedException.class)
                .hasMessageContaining("400").hasMessageContaining("bad");
        assertThat(orchestrator.delivered("/checkpoints")).hasSize(1);
    }

    @Test
    void checkpointsOfConcurrentInvocationsTravelTogether() throws Exception {
        List<String> executions = List.of("exec-1", "exec-2", "exec-3", "exec-4", "exec-5", "exec-6", "exec-7",
                "exec-8");

        List<Future<?>> calls = callWhileABatchIsInFlight(client, executions.toArray(String[]::new));

        for (Future<?> call : calls) {
            assertThat(call.get(5, TimeUnit.SECONDS)).isNull();
        }
        List<StandInOrchestrator.Received> requests = orchestrator.received("/v1/invocations/batch");
        assertThat(requests).as("the first alone, the seven queued behind it together").hasSize(2);
        assertThat(executionIds(requests.get(1).body())).hasSize(7).doesNotContain("exec-1");
        assertThat(orchestrator.delivered("/checkpoints")).extracting(r -> executionId(r.body()))
                .containsExactlyInAnyOrderElementsOf(executions);
    }

    @Test
    void eachCallerGetsTheAnswerToItsOwnItem() throws Exception {
        orchestrator.answerExecution("exec-fenced", 409, "token not current")
                .answerExecution("exec-invalid", 400, "updates[0].id is missing")
                .answerExecution("exec-unwritten", 503, "try again");

        List<String> executions = List.of("exec-first", "exec-fenced", "exec-ok", "exec-invalid", "exec-unwritten",
                "exec-done");

        List<Future<?>> all = callWhileABatchIsInFlight(client, executions.toArray(String[]::new));

        Map<String, Future<?>> calls = new LinkedHashMap<>();
        for (int i = 0; i < executions.size(); i++) {
            calls.put(executions.get(i), all.get(i));
        }
        assertThat(calls.get("exec-first").get(5, TimeUnit.SECONDS)).isNull();
        assertThat(calls.get("exec-ok").get(5, TimeUnit.SECONDS)).isNull();
        assertThat(calls.get("exec-done").get(5, TimeUnit.SECONDS)).isNull();
        assertThat(calls.get("exec-unwritten").get(5, TimeUnit.SECONDS)).as("retried, then written").isNull();
        assertThatThrownBy(() -> calls.get("exec-fenced").get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(InvocationFencedException.class).hasMessageContaining("token not current")
                .satisfies(e -> assertThat(((InvocationFencedException) e).executionId()).isEqualTo("exec-fenced"));
        assertThatThrownBy(() -> calls.get("exec-invalid").get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(OrchestratorRejectedException.class)
                .hasMessageContaining("updates[0].id is missing")
                .satisfies(e -> assertThat(((OrchestratorRejectedException) e).status()).isEqualTo(400));
        assertThat(orchestrator.received("/v1/invocations/batch")).as("first, the five together, the retry")
                .hasSize(3);
        assertThat(executionIds(orchestrator.received("/v1/invocations/batch").get(2).body()))
                .containsExactly("exec-unwritten");
    }

    @Test
    void aRequestCarriesAtMostMaxItemsAndOneItemPerExecution() throws Exception {
        OrchestratorClient small = new OrchestratorClient(settings(orchestrator.url(), "s3cret")
                .withBatching(new Batching(true, 1, 3, 1024 * 1024)));

        List<Future<?>> calls = callWhileABatchIsInFlight(small, "exec-0", "exec-1", "exec-2", "exec-1", "exec-3",
                "exec-4");

        for (Future<?> call : calls) {
            call.get(5, TimeUnit.SECONDS);
        }
        List<StandInOrchestrator.Received> requests = orchestrator.received("/v1/invocations/batch");
        assertThat(requests).extracting(r -> executionIds(r.body())).allSatisfy(ids ->
                assertThat(ids).hasSizeLessThanOrEqualTo(3).doesNotHaveDuplicates());
        assertThat(requests).hasSizeGreaterThanOrEqualTo(3);
        assertThat(orchestrator.delivered("/checkpoints")).hasSize(6);
    }

    @Test
    void twoRequestsMayBeInFlightWhenAllowed() throws Exception {
        OrchestratorClient two = new OrchestratorClient(settings(orchestrator.url(), "s3cret")
                .withBatching(new Batching(true, 2, 64, 1024 * 1024)));
        orchestrator.hold("/batch");

        Future<?> first = callers.submit(() -> two.checkpoint(checkpoint("exec-1")));
        Future<?> second = callers.submit(() -> two.checkpoint(checkpoint("exec-2")));
        await().until(() -> orchestrator.received("/v1/invocations/batch").size() == 2);
        Future<?> third = callers.submit(() -> two.checkpoint(checkpoint("exec-3")));
        await().until(() -> two.queuedItems() == 1);
        orchestrator.release();

        first.get(5, TimeUnit.SECONDS);
        second.get(5, TimeUnit.SECONDS);
        third.get(5, TimeUnit.SECONDS);
        assertThat(orchestrator.received("/v1/invocations/batch")).hasSize(3);
    }

    @ParameterizedTest(name = "answered {0}")
    @ValueSource(ints = {404, 405})
    void anOrchestratorWithoutTheBatchEndpointGetsEachMessageAloneFromThenOn(int status) {
        orchestrator.answer("/batch", status, "{\"status\":" + status + "}");

        client.checkpoint(checkpoint("exec-1"));
        client.complete(completion("exec-1"));
        client.checkpoint(checkpoint("exec-2"));

        assertThat(orchestrator.received("/v1/invocations/batch")).hasSize(1);
        assertThat(orchestrator.received("/v1/invocations/checkpoints")).hasSize(2)
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer s3cret"));
        assertThat(orchestrator.received("/v1/invocations/complete")).hasSize(1);
        assertThat(client.batching()).isFalse();
    }

    @Test
    void itemsQueuedWhenTheBatchEndpointTurnsOutMissingGoAlone() throws Exception {
        orchestrator.answer("/batch", 404, "{}");

        List<Future<?>> calls = callWhileABatchIsInFlight(client, "exec-1", "exec-2", "exec-3");

        for (Future<?> call : calls) {
            call.get(5, TimeUnit.SECONDS);
        }
        assertThat(orchestrator.received("/v1/invocations/batch")).hasSize(1);
        assertThat(orchestrator.received("/v1/invocations/checkpoints")).extracting(r -> executionId(r.body()))
                .containsExactlyInAnyOrder("exec-1", "exec-2", "exec-3");
    }

    @Test
    void aCallerInterruptedWhileQueuedGivesUpAndItsItemIsNotSent() throws Exception {
        orchestrator.hold("/batch");
        Future<?> first = callers.submit(() -> client.checkpoint(checkpoint("exec-1")));
        await().until(() -> orchestrator.received("/v1/invocations/batch").size() == 1);
        CompletableFuture<Thread> queuedThread = new CompletableFuture<>();
        Future<?> queued = callers.submit(() -> {
            queuedThread.complete(Thread.currentThread());
            client.checkpoint(checkpoint("exec-2"));
        });
        await().until(() -> client.queuedItems() == 1);

        queuedThread.get().interrupt();

        assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(OrchestratorUnavailableException.class).hasMessageContaining("Interrupted");
        assertThat(client.queuedItems()).isZero();
        orchestrator.release();
        first.get(5, TimeUnit.SECONDS);
        assertThat(orchestrator.delivered("/checkpoints")).extracting(r -> executionId(r.body()))
                .containsExactly("exec-1");
    }

    /**
     * Sends the checkpoint of the first execution and holds its request at the orchestrator until the checkpoints
     * of the others are all queued behind it; then lets it be answered.
     *
     * @return the calls, in the order of {@code executionIds}
     */
    private List<Future<?>> callWhileABatchIsInFlight(OrchestratorClient client, String... executionIds) {
        orchestrator.hold("/batch");
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < executionIds.length; i++) {
            String executionId = executionIds[i];
            calls.add(callers.submit(() -> client.checkpoint(checkpoint(executionId))));
            if (i == 0) {
                await().until(() -> orchestrator.received("/v1/invocations/batch").size() == 1);
            }
        }
        await().until(() -> client.queuedItems() == executionIds.length - 1);
        assertThat(orchestrator.received("/v1/invocations/batch")).hasSize(1);
        orchestrator.release();
        return calls;
    }

    private static List<String> executionIds(String batchBody) {
        List<String> ids = new ArrayList<>();
        for (var item : ProtocolJson.create().readTree(batchBody).path("items")) {
            ids.add((item.has("checkpoint") ? item.get("checkpoint") : item.get("completion"))
                    .path("executionId").asString());
        }
        return ids;
    }

    private static String executionId(String messageBody) {
        return ProtocolJson.create().readTree(messageBody).path("executionId").asString();
    }
}
