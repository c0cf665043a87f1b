package dev.cairn.worker.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.protocol.InvocationBatchResponse;
import dev.cairn.worker.client.ProtocolJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for the orchestrator's worker-facing API over real HTTP (JDK {@link HttpServer}): records every
 * request and answers {@code 200 {}} unless a test queued other answers for a path.
 *
 * <p>{@code POST /v1/invocations/batch} answers each item as its own endpoint would ({@code /checkpoints} or
 * {@code /complete}, taking answers queued for that path or for the item's execution), unless an answer was queued
 * for {@code /batch} itself, which then answers the whole request. {@link #delivered} lists the checkpoints and
 * completions that reached the stand-in, alone or in a batch.
 */
public final class StandInOrchestrator implements AutoCloseable {

    /**
     * One request received (or, in {@link #delivered}, one message: alone or an item of a batch).
     *
     * @param workerSecret the {@code Cairn-Worker-Secret} header, null when absent
     */
    public record Received(String method, String path, String authorization, String body, String workerSecret) {

        public Received(String method, String path, String authorization, String body) {
            this(method, path, authorization, body, null);
        }
    }

    private record Answer(int status, String body) {
    }

    private static final String BATCH = "/v1/invocations/batch";

    private final JsonMapper json = ProtocolJson.create();
    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final List<Received> delivered = new ArrayList<>();
    private final Map<String, Deque<Answer>> answers = new HashMap<>();
    private final Map<String, Deque<Answer>> itemAnswers = new HashMap<>();
    private final Map<String, CountDownLatch> holds = new HashMap<>();

    public StandInOrchestrator() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers the next request whose path ends with {@code pathSuffix} with this status and body. */
    public synchronized StandInOrchestrator answer(String pathSuffix, int status, String body) {
        answers.computeIfAbsent(pathSuffix, p -> new ArrayDeque<>()).add(new Answer(status, body));
        return this;
    }

    /**
     * Answers the next checkpoint or completion of {@code executionId} with this status: a batch item gets it as
     * its result (with {@code detail} as the problem detail), a request alone as its status and body.
     */
    public synchronized StandInOrchestrator answerExecution(String executionId, int status, String detail) {
        itemAnswers.computeIfAbsent(executionId, p -> new ArrayDeque<>()).add(new Answer(status, detail));
        return this;
    }

    /** Holds requests whose path ends with {@code pathSuffix} (after recording them) until {@link #release}. */
    public synchronized StandInOrchestrator hold(String pathSuffix) {
        holds.put(pathSuffix, new CountDownLatch(1));
        return this;
    }

    /** Lets held requests, and those that come later, be answered. */
    public synchronized void release() {
        holds.values().forEach(CountDownLatch::countDown);
        holds.clear();
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** The requests whose path ends with {@code pathSuffix}. */
    public synchronized List<Received> received(String pathSuffix) {
        return received.stream().filter(r -> r.path().endsWith(pathSuffix)).toList();
    }

    /**
     * The checkpoints ({@code /v1/invocations/checkpoints}) or completions ({@code /v1/invocations/complete}) that
     * arrived, alone or as items of batches, in the order they arrived.
     */
    public synchronized List<Received> delivered(String pathSuffix) {
        return delivered.stream().filter(r -> r.path().endsWith(pathSuffix)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        CountDownLatch hold;
        synchronized (this) {
            received.add(new Received(exchange.getRequestMethod(), path, authorization, body,
                    exchange.getRequestHeaders().getFirst("Cairn-Worker-Secret")));
            hold = holds.entrySet().stream().filter(e -> path.endsWith(e.getKey())).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }
        if (hold != null) {
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Answer answer;
        synchronized (this) {
            boolean message = path.endsWith("/checkpoints") || path.endsWith("/complete");
            if (message) {
                delivered.add(new Received(exchange.getRequestMethod(), path, authorization, body));
            }
            answer = queued(answers, path);
            if (answer == null && path.equals(BATCH)) {
                answer = new Answer(200, batch(exchange.getRequestMethod(), authorization, body));
            } else if (answer == null && message) {
                answer = single(body);
            } else if (answer == null) {
                answer = new Answer(200, defaultBody(path, body));
            }
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type",
                answer.status() < 400 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    private Answer single(String body) {
        Answer answer = queuedFor(json.readTree(body).path("executionId").asString());
        return answer != null ? new Answer(answer.status(), "{\"detail\":\"" + answer.body() + "\"}")
                : new Answer(200, "{}");
    }

    private String batch(String method, String authorization, String body) {
        List<InvocationBatchResponse.Result> results = new ArrayList<>();
        for (JsonNode item : json.readTree(body).path("items")) {
            boolean checkpoint = item.has("checkpoint");
            JsonNode message = checkpoint ? item.get("checkpoint") : item.get("completion");
            String path = checkpoint ? "/v1/invocations/checkpoints" : "/v1/invocations/complete";
            delivered.add(new Received(method, path, authorization, message.toString()));
            Answer answer = queuedFor(message.path("executionId").asString());
            if (answer == null) {
                answer = queued(answers, path);
            }
            results.add(answer == null || answer.status() < 300 ? InvocationBatchResponse.Result.OK
                    : new InvocationBatchResponse.Result(answer.status(), "Refused", answer.body()));
        }
        return json.writeValueAsString(new InvocationBatchResponse(results));
    }

    private Answer queuedFor(String executionId) {
        Deque<Answer> queue = itemAnswers.get(executionId);
        return queue == null ? null : queue.poll();
    }

    private static Answer queued(Map<String, Deque<Answer>> answers, String path) {
        return answers.entrySet().stream()
                .filter(e -> path.endsWith(e.getKey()) && !e.getValue().isEmpty())
                .map(e -> e.getValue().poll())
                .findFirst()
                .orElse(null);
    }

    private static String defaultBody(String path, String body) {
        if (path.endsWith("/register")) {
            int start = body.indexOf("\"workerId\":\"") + 12;
            String workerId = body.substring(start, body.indexOf('"', start));
            return "{\"workerId\":\"" + workerId + "\",\"heartbeatInterval\":\"PT0.2S\"}";
        }
        return "{}";
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
