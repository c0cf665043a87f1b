package dev.cairn.worker.replay;

import dev.cairn.api.BatchItem;
import dev.cairn.api.BatchResult;
import dev.cairn.api.CompletionReason;
import dev.cairn.api.ErrorInfo;
import dev.cairn.api.ItemStatus;
import dev.cairn.api.SerializationException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The recorded form of a {@link BatchResult}, the result of a Parallel/Map CONTEXT, so that a replay after the
 * batch completed rebuilds it without running the items:
 * <pre>{"completionReason":"ALL_COMPLETED","items":[{"index":0,"name":"a","status":"SUCCEEDED","result":…},
 * {"index":1,"name":"b","status":"FAILED","error":{"type":…,"message":…,"data":…}}]}</pre>
 * An item's {@code result} is the item's serialized result as JSON; with a serdes that does not write JSON it is
 * kept as text in {@code resultText} instead.
 */
final class BatchCodec {

    private final ReplaySession session;
    private final JsonMapper mapper;
    private final boolean resultsAreJson;

    BatchCodec(ReplaySession session) {
        this.session = session;
        this.mapper = session.internalJson().mapper();
        this.resultsAreJson = session.serdes() instanceof JsonSerdes;
    }

    String encode(BatchResult<?> result, IntFunction<String> resultText) {
        try {
            ObjectNode root = mapper.createObjectNode();
            root.put("completionReason", result.completionReason().name());
            ArrayNode items = root.putArray("items");
            for (BatchItem<?> item : result.all()) {
                ObjectNode node = items.addObject();
                node.put("index", item.index());
                node.put("name", item.name());
                node.put("status", item.status().name());
                if (item.status() == ItemStatus.SUCCEEDED) {
                    putResult(node, resultText.apply(item.index()));
                }
                if (item.error() != null) {
                    node.set("error", mapper.valueToTree(item.error()));
                }
            }
            return mapper.writeValueAsString(root);
        } catch (JacksonException e) {
            throw failure("serialize", result.operationId(), e);
        }
    }

    <T> BatchResult<T> decode(String json, Type type, String operationId) {
        try {
            JsonNode root = mapper.readTree(json);
            CompletionReason reason = CompletionReason.valueOf(root.get("completionReason").asString());
            List<BatchItem<T>> items = new ArrayList<>();
            for (JsonNode node : root.get("items")) {
                items.add(new BatchItem<>(node.get("index").asInt(), node.get("name").asString(),
                        ItemStatus.valueOf(node.get("status").asString()), result(node, type, operationId),
                        error(node)));
            }
            return new BatchResult<>(items, reason, operationId);
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw failure("deserialize", operationId, e);
        }
    }

    private void putResult(ObjectNode node, String text) {
        if (resultsAreJson && text != null) {
            node.set("result", mapper.readTree(text));
        } else {
            node.put("resultText", text);
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T result(JsonNode node, Type type, String operationId) {
        if (node.has("resultText")) {
            JsonNode text = node.get("resultText");
            return text.isNull() ? null : (T) session.decode(null, text.asString(), type, operationId);
        }
        if (node.has("result")) {
            return (T) session.decode(null, mapper.writeValueAsString(node.get("result")), type, operationId);
        }
        return null;
    }

    private ErrorInfo error(JsonNode node) {
        JsonNode error = node.get("error");
        return error == null || error.isNull() ? null : mapper.treeToValue(error, ErrorInfo.class);
    }

    private static SerializationException failure(String what, String operationId, RuntimeException e) {
        return new SerializationException("Could not " + what + " the batch result of operation " + operationId
                + ": " + e.getMessage(), operationId, null, e);
    }
}
