package dev.cairn.testing;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An execution's recorded operations, as {@code GET /v1/executions/{id}/operations} returns them, with its input
 * and status when known. The JSON may be the operations answer ({@code {"items":[…]}}), a bare array of operations,
 * or an object {@code {"execution": {…execution…}, "operations": {"items": […]}}} (what {@link #toJson} writes).
 *
 * @param inputJson the execution's input as JSON text, null when absent or unknown
 * @param status the execution's status, null when unknown; a closed execution makes an operation the code asks for
 *     beyond the recording a divergence
 */
public record Recording(List<OperationRecord> operations, String inputJson, ExecutionStatus status) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public Recording {
        operations = List.copyOf(operations);
    }

    /** Parses a recording from JSON text. */
    public static Recording parse(String json) {
        JsonNode root = JSON.readTree(json);
        JsonNode execution = root.isObject() ? root.get("execution") : null;
        JsonNode ops = root.isArray() ? root
                : root.has("operations") ? items(root.get("operations")) : items(root);
        List<OperationRecord> operations = new ArrayList<>();
        ops.forEach(node -> operations.add(operation(node)));
        String input = null;
        ExecutionStatus status = null;
        if (execution != null) {
            input = value(execution.get("input"));
            status = execution.hasNonNull("status") ? ExecutionStatus.valueOf(execution.get("status").asString())
                    : null;
        }
        return new Recording(operations, input, status);
    }

    /** Reads a recording from a JSON file. */
    public static Recording read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read recording " + file, e);
        }
    }

    /**
     * Fetches an execution and all pages of its operations from a running orchestrator.
     *
     * @param bearerToken a token with role {@code read}, or null for an orchestrator without security
     */
    public static Recording fetch(URI orchestrator, String executionId, String bearerToken) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String base = orchestrator.toString().replaceAll("/+$", "") + "/v1/executions/"
                + URLEncoder.encode(executionId, StandardCharsets.UTF_8);
        JsonNode execution = JSON.readTree(get(http, base, bearerToken));
        List<OperationRecord> operations = new ArrayList<>();
        String pageToken = null;
        do {
            String url = base + "/operations?limit=1000"
                    + (pageToken == null ? "" : "&pageToken=" + URLEncoder.encode(pageToken, StandardCharsets.UTF_8));
            JsonNode page = JSON.readTree(get(http, url, bearerToken));
            items(page).forEach(node -> operations.add(operation(node)));
            pageToken = page.hasNonNull("nextPageToken") ? page.get("nextPageToken").asString() : null;
        } while (pageToken != null);
        ExecutionStatus status = execution.hasNonNull("status")
                ? ExecutionStatus.valueOf(execution.get("status").asString()) : null;
        return new Recording(operations, value(execution.get("input")), status);
    }

    /** This recording with another input (JSON text). */
    public Recording withInputJson(String json) {
        return new Recording(operations, json, status);
    }

    /** This recording with a known execution status. */
    public Recording withStatus(ExecutionStatus status) {
        return new Recording(operations, inputJson, status);
    }

    /** The recording as JSON in the shape {@link #parse} reads ({@code {"execution":…,"operations":{"items":…}}}). */
    public String toJson() {
        var root = JSON.createObjectNode();
        var execution = root.putObject("execution");
        if (status != null) {
            execution.put("status", status.name());
        }
        if (inputJson != null) {
            execution.set("input", JSON.readTree(inputJson));
        }
        var items = root.putObject("operations").putArray("items");
        for (OperationRecord op : operations) {
            var node = items.addObject();
            node.put("id", op.id());
            if (op.parentId() != null) {
                node.put("parentId", op.parentId());
            }
            node.put("type", op.type().name());
            node.put("subType", op.subType());
            node.put("name", op.name());
            node.put("status", op.status().name());
            if (op.attempt() != null) {
                node.put("attempt", op.attempt());
            }
            putTime(node, "startedAt", op.startedAt());
            putTime(node, "endedAt", op.endedAt());
            if (op.result() != null) {
                node.set("result", JSON.readTree(op.result()));
            }
            if (op.error() != null) {
                var error = node.putObject("error");
                error.put("type", op.error().type());
                error.put("message", op.error().message());
                if (op.error().data() != null) {
                    error.put("data", op.error().data());
                }
            }
            putTime(node, "scheduledEndAt", op.scheduledEndAt());
            putTime(node, "nextAttemptAt", op.nextAttemptAt());
            if (op.callbackId() != null) {
                node.put("callbackId", op.callbackId());
            }
            if (op.childExecutionId() != null) {
                node.put("childExecutionId", op.childExecutionId());
            }
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    /** The operations of a {@link TestResult} as a recording (to commit as a JSON file and replay later). */
    public static Recording of(TestResult<?> result) {
        List<OperationRecord> ops = result.operations().stream().map(TestOperation::record).toList();
        return new Recording(ops, result.execution().input(), result.status());
    }

    private static void putTime(tools.jackson.databind.node.ObjectNode node, String field, Instant value) {
        if (value != null) {
            node.put(field, value.toString());
        }
    }

    private static JsonNode items(JsonNode node) {
        JsonNode items = node == null ? null : node.get("items");
        if (items == null || !items.isArray()) {
            throw new IllegalArgumentException("not an operations list: expected {\"items\": [...]}");
        }
        return items;
    }

    /** A REST operation, with {@code result} as JSON text. */
    static OperationRecord operation(JsonNode n) {
        JsonNode error = n.get("error");
        ErrorInfo errorInfo = error == null || error.isNull() ? null : new ErrorInfo(text(error, "type"),
                text(error, "message"), error.hasNonNull("data")
                        ? (error.get("data").isString() ? error.get("data").asString() : error.get("data").toString())
                        : null);
        return new OperationRecord(text(n, "id"), text(n, "parentId"), OperationType.valueOf(text(n, "type")),
                text(n, "subType"), text(n, "name"), OperationStatus.valueOf(text(n, "status")),
                n.hasNonNull("attempt") ? n.get("attempt").asInt() : null, time(n, "startedAt"), time(n, "endedAt"),
                value(n.get("result")), errorInfo, time(n, "scheduledEndAt"), time(n, "nextAttemptAt"),
                text(n, "callbackId"), text(n, "childExecutionId"));
    }

    private static String value(JsonNode node) {
        return node == null || node.isMissingNode() ? null : JSON.writeValueAsString(node);
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asString() : null;
    }

    private static Instant time(JsonNode n, String field) {
        return n.hasNonNull(field) ? Instant.parse(n.get(field).asString()) : null;
    }

    private static String get(HttpClient http, String url, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + url + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching " + url, e);
        }
    }
}
