package dev.cairn.orchestrator.checkpoint;

import dev.cairn.orchestrator.api.InvalidRequestException;
import dev.cairn.orchestrator.api.JsonBody;
import dev.cairn.protocol.InvocationBatch;
import dev.cairn.protocol.InvocationBatchResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the items of a {@code POST /v1/invocations/batch} one by one, so that an item its own endpoint would refuse
 * (not of the expected shape: {@code 400}; over {@code cairn.orchestrator.worker-request-limit}: {@code 413}; text
 * that is not Unicode: {@code 400}) is refused alone, with that answer as its result, and the others are written. A
 * body that is not a batch at all (not JSON, not an object, {@code items} not a list, too many items) is still
 * refused whole.
 */
final class BatchItems {

    /** The body with its items still as trees. */
    record Envelope(List<JsonNode> items) {

        Envelope {
            items = items == null ? List.of() : items;
        }
    }

    /**
     * What was read: the items in order, and for each the result it is refused with (null for one to be written).
     * A refused item is an empty {@code Item} in {@link #items}, so that positions stay those of the request.
     */
    record Read(List<InvocationBatch.Item> items, List<InvocationBatchResponse.Result> refused) {
    }

    private static final InvocationBatch.Item NOTHING = new InvocationBatch.Item(null, null);

    private final JsonBody<Envelope> envelopes;
    private final JsonBody<InvocationBatch.Item> items;
    private final JsonMapper mapper;
    private final long itemLimit;
    private final int maxItems;

    BatchItems(JsonMapper mapper, Set<String> jsonTextFields, long itemLimit, int maxItems) {
        this.envelopes = JsonBody.envelope(mapper, Envelope.class);
        this.items = new JsonBody<>(mapper, InvocationBatch.Item.class, jsonTextFields);
        this.mapper = mapper;
        this.itemLimit = itemLimit;
        this.maxItems = maxItems;
    }

    Read read(HttpServletRequest request) {
        List<JsonNode> nodes = envelopes.read(request).items();
        if (nodes.size() > maxItems) {
            throw new InvalidRequestException("items", "must hold at most " + maxItems
                    + " items (cairn.orchestrator.max-batch-items), got " + nodes.size());
        }
        // no item can be over the limit of a request of its own when the whole body is not
        long length = request.getContentLengthLong();
        boolean measure = length < 0 || length > itemLimit;
        List<InvocationBatch.Item> read = new ArrayList<>(nodes.size());
        List<InvocationBatchResponse.Result> refused = new ArrayList<>(Collections.nCopies(nodes.size(), null));
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode node = nodes.get(i);
            InvocationBatch.Item item = NOTHING;
            if (measure && node != null && mapper.writeValueAsBytes(node).length > itemLimit) {
                refused.set(i, new InvocationBatchResponse.Result(413, "Payload too large", "items[" + i
                        + "]: the item exceeds the limit of " + itemLimit + " bytes of a request of its own "
                        + "(cairn.orchestrator.worker-request-limit)"));
            } else if (node != null && !node.isNull()) {
                try {
                    item = items.read(node);
                } catch (InvalidRequestException e) {
                    refused.set(i, new InvocationBatchResponse.Result(400, e.title(), "items[" + i + "]."
                            + e.getMessage()));
                } catch (JacksonException e) {
                    refused.set(i, new InvocationBatchResponse.Result(400, "Malformed request body", "items[" + i
                            + "]: the item does not have the expected shape" + at(e)));
                }
            }
            read.add(item == null ? NOTHING : item);
        }
        return new Read(read, refused);
    }

    private static String at(JacksonException e) {
        if (!(e instanceof DatabindException databind) || databind.getPath().isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        databind.getPath().forEach(ref -> parts.add(ref.getPropertyName() != null ? ref.getPropertyName()
                : "[" + ref.getIndex() + "]"));
        return " at '" + String.join(".", parts).replace(".[", "[") + "'";
    }
}
