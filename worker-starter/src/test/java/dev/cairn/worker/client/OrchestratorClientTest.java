package dev.cairn.worker.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.cairn.worker.replay.InvocationFencedException;
import dev.cairn.worker.replay.OrchestratorUnavailableException;
import dev.cairn.worker.support.StandInOrchestrator;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OrchestratorClientTest {

    private final StandInOrchestrator orchestrator = new StandInOrchestrator();
    private final OrchestratorClient client = new OrchestratorClient(settings(orchestrator.url(), "s3cret"));

    OrchestratorClientTest() throws java.io.IOException {
    }

    @AfterEach
    void close() {
        orchestrator.close();
    }

    private static ClientSettings settings(String url, String token) {
        return new ClientSettings(URI.create(url), token, Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofMillis(10), Duration.ofMillis(50));
    }

    private static CheckpointRequest checkpoint() {
        return new CheckpointRequest("exec-1", "token-1", List.of(new OperationUpdate("1", null, OperationType.STEP,
                "Step", "charge", OperationAction.RETRY, 1, null, new ErrorInfo("java.lang.IllegalStateException",
                        "down", null), null, Instant.parse("2030-01-01T00:00:02Z"))));
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
        new OrchestratorClient(settings(orchestrator.url(), null)).heartbeat("w-1", new Heartbeat(0, List.of()));

        assertThat(orchestrator.received("/v1/workers/w-1/heartbeat")).singleElement()
                .satisfies(r -> assertThat(r.authorization()).isNull());
    }

    @Test
    void writesCheckpointsWithIsoInstantsAndWithoutNullFields() {
        client.checkpoint(checkpoint());

        String body = orchestrator.received("/v1/invocations/checkpoints").get(0).body();
        assertThat(body).contains("\"nextAttemptAt\":\"2030-01-01T00:00:02Z\"")
                .contains("\"invocationToken\":\"token-1\"")
                .doesNotContain("null");
    }

    @Test
    void aConflictIsAFencedInvocation() {
        orchestrator.answer("/checkpoints", 409, "{\"status\":409}");

        assertThatThrownBy(() -> client.checkpoint(checkpoint())).isInstanceOf(InvocationFencedException.class);
        assertThat(orchestrator.received("/checkpoints")).hasSize(1);
    }

    @Test
    void transientErrorsAreRetriedUntilTheRequestIsAccepted() {
        orchestrator.answer("/complete", 503, "{}").answer("/complete", 502, "{}");

        client.complete(new CompletionRequest("exec-1", "token-1", InvocationOutcome.SUCCEEDED, "\"ok\"", null,
                List.of(), Instant.EPOCH, Instant.EPOCH));

        assertThat(orchestrator.received("/complete")).hasSize(3);
    }

    @Test
    void anUnreachableOrchestratorIsGivenUpOnAfterTheRetryBudget() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        OrchestratorClient unreachable = new OrchestratorClient(new ClientSettings(
                URI.create("http://127.0.0.1:" + closedPort), null, Duration.ofSeconds(1), Duration.ofMillis(300),
                Duration.ofMillis(10), Duration.ofMillis(50)));

        assertThatThrownBy(() -> unreachable.checkpoint(checkpoint()))
                .isInstanceOf(OrchestratorUnavailableException.class);
    }

    @Test
    void aHeartbeatForAnUnknownWorkerAsksForRegistration() {
        orchestrator.answer("/heartbeat", 404, "{}");

        assertThatThrownBy(() -> client.heartbeat("w-1", new Heartbeat(0, List.of())))
                .isInstanceOf(UnknownWorkerException.class);
    }

    @Test
    void otherClientErrorsAreRejectionsAndAreNotRetried() {
        orchestrator.answer("/checkpoints", 400, "{\"detail\":\"bad\"}");

        assertThatThrownBy(() -> client.checkpoint(checkpoint())).isInstanceOf(OrchestratorRejectedException.class)
                .hasMessageContaining("400");
        assertThat(orchestrator.received("/checkpoints")).hasSize(1);
    }
}
