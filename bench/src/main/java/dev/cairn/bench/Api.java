package dev.cairn.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The load generator's client of the orchestrator's REST API: each request is sent and answered on the calling thread
 * ({@link HttpURLConnection}, HTTP/1.1 keep-alive), as a blocking service client does. The JDK {@code HttpClient}'s
 * blocking {@code send}, which this replaced, hands every exchange to its executor and selector threads and took
 * 2.3 times as much CPU per execution in the client view (a quarter of a core at 3,000 steps a second): CPU that
 * the orchestrator shares on one machine.
 *
 * <p>A {@code POST} that fails is never resent silently ({@link Bench} sets {@code sun.net.http.retryPost=false}),
 * so a caller sees every failure, and idle connections are kept for as many threads as a scenario runs
 * ({@code http.maxConnections}).
 */
final class Api {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    final String baseUrl;
    private final int readTimeoutMs;

    Api(String baseUrl) {
        this(baseUrl, Duration.ofSeconds(60));
    }

    /**
     * A client whose requests give up when the orchestrator stays silent for {@code requestTimeout} (the fault run's
     * clients retry instead).
     */
    Api(String baseUrl, Duration requestTimeout) {
        this.baseUrl = baseUrl;
        this.readTimeoutMs = (int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis());
    }

    record Response(int status, String body, long nanos) {
    }

    Response get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    /** The workflows that some live worker serves, from {@code GET /v1/workflows} (empty unless it answers 200). */
    static Set<String> servedWorkflows(Response workflows) {
        Set<String> served = new TreeSet<>();
        if (workflows.status() == 200) {
            for (JsonNode item : JSON.readTree(workflows.body()).get("items")) {
                if (item.path("workers").asInt() > 0) {
                    served.add(item.get("name").asString());
                }
            }
        }
        return served;
    }

    Response post(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Starts an execution; throws unless the answer is 201. */
    UUID start(String workflow, String inputJson) throws IOException, InterruptedException {
        return UUID.fromString(startTimed(workflow, inputJson).body());
    }

    /** Starts an execution and answers its id (as body) and the request's duration. */
    Response startTimed(String workflow, String inputJson) throws IOException, InterruptedException {
        Response r = post("/v1/workflows/" + workflow + "/executions", "{\"input\":" + inputJson + "}");
        if (r.status() != 201) {
            throw new IllegalStateException("start of " + workflow + " answered " + r.status() + ": " + r.body());
        }
        return new Response(r.status(), JSON.readTree(r.body()).get("executionId").asString(), r.nanos());
    }

    JsonNode json(String path) throws IOException, InterruptedException {
        Response r = get(path);
        if (r.status() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.status() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Sends the request and reads the whole answer (which hands the connection back for reuse). */
    private Response send(String method, String path, byte[] body) throws IOException, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long t0 = System.nanoTime();
        HttpURLConnection connection = (HttpURLConnection) URI.create(baseUrl + path).toURL().openConnection();
        try {
            connection.setRequestMethod(method);
            connection.setUseCaches(false);
            connection.setInstanceFollowRedirects(false);
            connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
            connection.setReadTimeout(readTimeoutMs);
            connection.setRequestProperty("Accept", "application/json, application/problem+json");
            if (body != null) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            String answer = "";
            if (in != null) {
                try (in) {
                    answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return new Response(status, answer, System.nanoTime() - t0);
        } catch (IOException | RuntimeException e) {
            connection.disconnect();
            throw e;
        }
    }
}
