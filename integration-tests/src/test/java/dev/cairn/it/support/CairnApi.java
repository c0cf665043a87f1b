package dev.cairn.it.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small client of the orchestrator's public REST API, as a user would call it with curl. */
public final class CairnApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> CLOSED = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile String baseUrl;
    private final String token;

    public CairnApi(String baseUrl) {
        this(baseUrl, null);
    }

    /** A client that sends {@code Authorization: Bearer <token>} (for an orchestrator with tokens configured). */
    public CairnApi(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    public record Response(int status, String contentType, JsonNode body, java.net.http.HttpHeaders headers) {

        /** The first value of header {@code name}, or null. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Response post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    /**
     * Starts an execution and returns its id; fails unless the answer is 201. A workflow no worker has registered
     * yet answers 404, so this retries a 404 for a while: the worker apps of a test register in the background.
     */
    /**
     * Sends a request without waiting for its answer: for requests that wait on the server (allowed {@code timeout}
     * to answer).
     */
    public CompletableFuture<Response> sendAsync(String method, String path, String json, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(CairnApi::response);
    }

    public String start(String workflow, String bodyJson) {
        Response[] last = new Response[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = post("/v1/workflows/" + workflow + "/executions", bodyJson);
            return last[0].status() != 404;
        });
        Response r = last[0];
        if (r.status() != 201) {
            throw new AssertionError("start of " + workflow + " answered " + r.status() + ": " + r.body());
        }
        return r.body().get("executionId").asText();
    }

    public JsonNode execution(String id) {
        return expectOk(get("/v1/executions/" + id));
    }

    /** Every operation of an execution, following page tokens. */
    public List<JsonNode> operations(String id) {
        return paged("/v1/executions/" + id + "/operations");
    }

    /** Every history event of an execution, following page tokens. */
    public List<JsonNode> history(String id) {
        return paged("/v1/executions/" + id + "/history");
    }

    /** Waits until the execution is closed and returns it. */
    public JsonNode awaitClosed(String id, Duration timeout) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = execution(id);
            return CLOSED.contains(last[0].get("status").asText());
        });
        return last[0];
    }

    private List<JsonNode> paged(String path) {
        List<JsonNode> items = new ArrayList<>();
        String token = null;
        do {
            String url = path + "?limit=1000" + (token == null ? "" : "&pageToken=" + token);
            JsonNode page = expectOk(get(url));
            page.get("items").forEach(items::add);
            JsonNode next = page.get("nextPageToken");
            token = next == null || next.isNull() ? null : next.asText();
        } while (token != null);
        return items;
    }

    private static Response response(HttpResponse<String> res) {
        String body = res.body();
        JsonNode json = body == null || body.isBlank() ? null : JSON.readTree(body);
        return new Response(res.statusCode(), res.headers().firstValue("Content-Type").orElse(""), json,
                res.headers());
    }

    private static JsonNode expectOk(Response r) {
        if (r.status() != 200) {
            throw new AssertionError("expected 200, got " + r.status() + ": " + r.body());
        }
        return r.body();
    }

    private Response send(HttpRequest.Builder request) {
        try {
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return response(http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
