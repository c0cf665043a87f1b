package dev.cairn.worker.client;

import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.Heartbeat;
import dev.cairn.protocol.RegistrationAccepted;
import dev.cairn.protocol.WorkerRegistration;
import dev.cairn.worker.replay.InvocationFencedException;
import dev.cairn.worker.replay.Orchestrator;
import dev.cairn.worker.replay.OrchestratorUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The orchestrator's worker-facing API over HTTP/1.1 with keep-alive (JDK {@link HttpClient}), JSON by
 * {@link ProtocolJson}. {@code 409} becomes {@link InvocationFencedException}; checkpoints and completions are
 * retried on transient errors (connection failures, timeouts, {@code 429}, {@code 5xx}) with capped exponential
 * backoff for {@link ClientSettings#retryFor()}, then {@link OrchestratorUnavailableException}.
 */
public class OrchestratorClient implements Orchestrator {

    private static final Logger log = LoggerFactory.getLogger(OrchestratorClient.class);

    private final HttpClient http;
    private final JsonMapper json;
    private final ClientSettings settings;

    public OrchestratorClient(ClientSettings settings) {
        this(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.requestTimeout())
                .build(), ProtocolJson.create(), settings);
    }

    public OrchestratorClient(HttpClient http, JsonMapper json, ClientSettings settings) {
        this.http = http;
        this.json = json;
        this.settings = settings;
    }

    /** {@code POST /v1/workers/register}, once. */
    public RegistrationAccepted register(WorkerRegistration registration) {
        String body = post("/v1/workers/register", registration, null);
        if (body == null || body.isBlank()) {
            return new RegistrationAccepted(registration.workerId(), null);
        }
        return json.readValue(body, RegistrationAccepted.class);
    }

    /**
     * {@code POST /v1/workers/{workerId}/heartbeat}, once.
     *
     * @throws UnknownWorkerException on {@code 404}: register again
     */
    public void heartbeat(String workerId, Heartbeat heartbeat) {
        String path = "/v1/workers/" + URLEncoder.encode(workerId, StandardCharsets.UTF_8) + "/heartbeat";
        post(path, heartbeat, workerId);
    }

    /** {@code POST /v1/invocations/checkpoints}, retried on transient errors. */
    @Override
    public void checkpoint(CheckpointRequest request) {
        postRetrying("/v1/invocations/checkpoints", request, request.executionId());
    }

    /** {@code POST /v1/invocations/complete}, retried on transient errors. */
    @Override
    public void complete(CompletionRequest request) {
        postRetrying("/v1/invocations/complete", request, request.executionId());
    }

    private void postRetrying(String path, Object message, String executionId) {
        byte[] body = json.writeValueAsBytes(message);
        long deadline = System.nanoTime() + settings.retryFor().toNanos();
        Duration backoff = settings.initialBackoff();
        while (true) {
            TransientFailure failure;
            try {
                HttpResponse<String> response = send(path, body);
                if (isSuccess(response.statusCode())) {
                    return;
                }
                if (response.statusCode() == 409) {
                    throw new InvocationFencedException(executionId, "The orchestrator fenced the invocation of "
                            + "execution " + executionId + ": " + response.body());
                }
                if (!isTransient(response.statusCode())) {
                    throw new OrchestratorRejectedException(path, response.statusCode(), response.body());
                }
                failure = new TransientFailure("status " + response.statusCode(), null);
            } catch (IOException e) {
                failure = new TransientFailure(e.toString(), e);
            }
            if (System.nanoTime() + backoff.toNanos() > deadline) {
                throw new OrchestratorUnavailableException("The orchestrator did not accept " + path + " for execution "
                        + executionId + " within " + settings.retryFor() + ": " + failure.reason(), failure.cause());
            }
            log.warn("Retrying {} for execution {} in {}: {}", path, executionId, backoff, failure.reason());
            pause(backoff, failure);
            backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
        }
    }

    private String post(String path, Object message, String workerId) {
        HttpResponse<String> response;
        try {
            response = send(path, json.writeValueAsBytes(message));
        } catch (IOException e) {
            throw new OrchestratorUnavailableException("The orchestrator is unreachable at "
                    + settings.baseUrl() + ": " + e, e);
        }
        int status = response.statusCode();
        if (isSuccess(status)) {
            return response.body();
        }
        if (status == 404 && workerId != null) {
            throw new UnknownWorkerException(workerId);
        }
        if (isTransient(status)) {
            throw new OrchestratorUnavailableException("The orchestrator answered " + status + " to " + path, null);
        }
        throw new OrchestratorRejectedException(path, status, response.body());
    }

    private HttpResponse<String> send(String path, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.baseUrl() + path))
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, application/problem+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (settings.token() != null) {
            request.header("Authorization", "Bearer " + settings.token());
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrchestratorUnavailableException("Interrupted while calling " + path, e);
        }
    }

    private static void pause(Duration backoff, TransientFailure failure) {
        try {
            TimeUnit.NANOSECONDS.sleep(backoff.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrchestratorUnavailableException("Interrupted while retrying: " + failure.reason(), e);
        }
    }

    private static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    private static boolean isTransient(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private record TransientFailure(String reason, Throwable cause) {
    }
}
