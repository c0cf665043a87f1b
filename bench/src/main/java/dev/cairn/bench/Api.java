package dev.cairn.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The load generator's client of the orchestrator's REST API (JDK HttpClient, HTTP/1.1 keep-alive). */
final class Api {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    final String baseUrl;
    private final Duration requestTimeout;

    Api(String baseUrl) {
        this(baseUrl, Duration.ofSeconds(60));
    }

    /** A client whose requests give up after {@code requestTimeout} (the fault run's clients retry instead). */
    Api(String baseUrl, Duration requestTimeout) {
        this.baseUrl = baseUrl;
        this.requestTimeout = requestTimeout;
    }

    record Response(int status, String body, long nanos) {
    }

    Response get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
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
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
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

    private Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        HttpResponse<String> res = http.send(request.timeout(requestTimeout).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Response(res.statusCode(), res.body(), System.nanoTime() - t0);
    }
}
