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
 * The orchestrator's worker-facing API over HTTP/1.1 with keep-alive, JSON by {@link ProtocolJson}.
 *
 * <p>Checkpoints and completions go through an {@link InvocationBatcher}: those of concurrent invocations travel
 * together in {@code POST /v1/invocations/batch} requests, sent with {@link BlockingHttp} on the callers' threads.
 * Each caller gets exactly the outcome it would have got from the message's own endpoint: {@code 409} becomes
 * {@link InvocationFencedException} (for that invocation only), other {@code 4xx}
 * {@link OrchestratorRejectedException}, and transient errors (connection failures, timeouts, {@code 408},
 * {@code 429}, {@code 5xx}, for the item or for the whole request) are retried with capped exponential backoff for
 * {@link ClientSettings#retryFor()}, then {@link OrchestratorUnavailableException}.
 *
 * <p>When batching is off, or the orchestrator has no batch endpoint (it answers {@code 404} or {@code 405}; the
 * client then stops trying it), each message goes alone to {@code /v1/invocations/checkpoints} or
 * {@code /v1/invocations/complete}. Registration, heartbeats and messages sent alone use the JDK
 * {@link HttpClient}, whose connection pool has no size limit.
 */
public class OrchestratorClient implements Orchestrator {

    private static final Logger log = LoggerFactory.getLogger(OrchestratorClient.class);

    private final HttpClient http;
    private final JsonMapper json;
    private final ClientSettings settings;
    private final InvocationBatcher batcher;

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
        this.batcher = settings.batching().enabled()
                ? new InvocationBatcher(new BlockingHttp(settings), json, settings)
                : null;
    }

    /** {@code POST /v1/workers/register}, once. */
    public RegistrationAccepted register(WorkerRegistration registration) {
        String body = post("/v1/workers/register", registration, null, null);
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
        heartbeat(workerId, heartbeat, null);
    }

    /**
     * {@code POST /v1/workers/{workerId}/heartbeat}, once, proving the worker's {@code invocationSecret} (the one it
     * registered with) in the {@value Heartbeat#WORKER_SECRET_HEADER} header; null sends none.
     *
     * @throws UnknownWorkerException on {@code 404}: register again
     * @throws WorkerIdTakenException on {@code 409}: the id is registered with another secret
     */
    public void heartbeat(String workerId, Heartbeat heartbeat, String invocationSecret) {
        String path = "/v1/workers/" + URLEncoder.encode(workerId, StandardCharsets.UTF_8) + "/heartbeat";
        post(path, heartbeat, workerId, invocationSecret);
    }

    /**
     * Makes a checkpoint durable: in a batch request ({@code POST /v1/invocations/batch}) with those of other
     * invocations, or alone ({@code POST /v1/invocations/checkpoints}); retried on transient errors.
     */
    @Override
    public void checkpoint(CheckpointRequest request) {
        deliver(InvocationBatcher.Kind.CHECKPOINT, request.executionId(), json.writeValueAsBytes(request));
    }

    /**
     * Completes an invocation: in a batch request ({@code POST /v1/invocations/batch}) with checkpoints and
     * completions of other invocations, or alone ({@code POST /v1/invocations/complete}); retried on transient
     * errors.
     */
    @Override
    public void complete(CompletionRequest request) {
        deliver(InvocationBatcher.Kind.COMPLETION, request.executionId(), json.writeValueAsBytes(request));
    }

    /** Whether checkpoints and completions go to the batch endpoint (batching is on and the orchestrator has it). */
    public boolean batching() {
        return batcher != null && batcher.supported();
    }

    /** Checkpoints and completions waiting for a batch request to carry them. */
    int queuedItems() {
        return batcher == null ? 0 : batcher.queued();
    }

    private void deliver(InvocationBatcher.Kind kind, String executionId, byte[] body) {
        long deadline = System.nanoTime() + settings.retryFor().toNanos();
        Duration backoff = settings.initialBackoff();
        while (true) {
            Answer answer = attempt(kind, executionId, body);
            if (answer.isSuccess()) {
                return;
            }
            if (answer.isFenced()) {
                throw new InvocationFencedException(executionId, "The orchestrator fenced the invocation of "
                        + "execution " + executionId + ": " + answer.detail());
            }
            if (!answer.isTransient()) {
                throw new OrchestratorRejectedException(answer.path(), answer.status(), answer.detail());
            }
            if (System.nanoTime() + backoff.toNanos() > deadline) {
                throw new OrchestratorUnavailableException("The orchestrator did not accept " + answer.path()
                        + " for execution " + executionId + " within " + settings.retryFor() + ": "
                        + answer.reason(), answer.failure());
            }
            log.warn("Retrying {} for execution {} in {}: {}", answer.path(), executionId, backoff, answer.reason());
            pause(backoff, answer.reason());
            backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
        }
    }

    /** One attempt: in a batch while the orchestrator has the endpoint, else alone. */
    private Answer attempt(InvocationBatcher.Kind kind, String executionId, byte[] body) {
        if (batcher != null && batcher.supported()) {
            Answer answer = batcher.exchange(kind, executionId, body);
            if (answer != null) {
                return answer;
            }
        }
        String path = kind.endpoint();
        try {
            HttpResponse<String> response = send(path, body);
            return Answer.of(path, response.statusCode(), response.body());
        } catch (IOException e) {
            return Answer.failed(path, e);
        }
    }

    private String post(String path, Object message, String workerId, String workerSecret) {
        HttpResponse<String> response;
        try {
            response = send(path, json.writeValueAsBytes(message), workerSecret);
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
        if (status == 409 && workerId != null) {
            throw new WorkerIdTakenException(workerId, response.body());
        }
        if (isTransient(status)) {
            throw new OrchestratorUnavailableException("The orchestrator answered " + status + " to " + path, null);
        }
        throw new OrchestratorRejectedException(path, status, response.body());
    }

    private HttpResponse<String> send(String path, byte[] body) throws IOException {
        return send(path, body, null);
    }

    private HttpResponse<String> send(String path, byte[] body, String workerSecret) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.baseUrl() + path))
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, application/problem+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (settings.token() != null) {
            request.header("Authorization", "Bearer " + settings.token());
        }
        if (workerSecret != null) {
            request.header(Heartbeat.WORKER_SECRET_HEADER, workerSecret);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrchestratorUnavailableException("Interrupted while calling " + path, e);
        }
    }

    private static void pause(Duration backoff, String reason) {
        try {
            TimeUnit.NANOSECONDS.sleep(backoff.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrchestratorUnavailableException("Interrupted while retrying: " + reason, e);
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
}
