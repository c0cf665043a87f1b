package dev.cairn.worker.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
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
import java.util.concurrent.Executors;

/**
 * A stand-in for the orchestrator's worker-facing API over real HTTP (JDK {@link HttpServer}): records every
 * request and answers {@code 200 {}} unless a test queued other answers for a path.
 */
public final class StandInOrchestrator implements AutoCloseable {

    /** One request received. */
    public record Received(String method, String path, String authorization, String body) {
    }

    private record Answer(int status, String body) {
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final Map<String, Deque<Answer>> answers = new HashMap<>();

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

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** The requests whose path ends with {@code pathSuffix}. */
    public synchronized List<Received> received(String pathSuffix) {
        return received.stream().filter(r -> r.path().endsWith(pathSuffix)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        Answer answer;
        synchronized (this) {
            received.add(new Received(exchange.getRequestMethod(), path,
                    exchange.getRequestHeaders().getFirst("Authorization"), body));
            answer = answers.entrySet().stream()
                    .filter(e -> path.endsWith(e.getKey()) && !e.getValue().isEmpty())
                    .map(e -> e.getValue().poll())
                    .findFirst()
                    .orElse(new Answer(200, defaultBody(path, body)));
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
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
