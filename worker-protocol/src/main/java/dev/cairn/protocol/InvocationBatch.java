package dev.cairn.protocol;

import java.util.List;

/**
 * Worker → orchestrator, {@code POST /v1/invocations/batch}: checkpoints and completions of several invocations
 * (of any executions) in one request, so that a worker running many invocations at once pays one HTTP exchange
 * for all the updates that are ready together, and the orchestrator writes them in one transaction.
 *
 * <p>Each item is exactly one {@link CheckpointRequest} or one {@link CompletionRequest}, with the same meaning,
 * fencing and validation as on its own endpoint. The answer is an {@link InvocationBatchResponse} with one result
 * per item, in the same order. A worker puts at most one item of the same invocation in a batch: the items of a
 * batch are independent of each other and may be written in any order.
 */
public record InvocationBatch(List<Item> items) {

    public InvocationBatch {
        items = items == null ? List.of() : List.copyOf(items);
    }

    /** One checkpoint or one completion: exactly one of the two is set. */
    public record Item(CheckpointRequest checkpoint, CompletionRequest completion) {

        public static Item of(CheckpointRequest checkpoint) {
            return new Item(checkpoint, null);
        }

        public static Item of(CompletionRequest completion) {
            return new Item(null, completion);
        }

        /** The execution the item belongs to, or null when neither part is set. */
        public String executionId() {
            if (checkpoint != null) {
                return checkpoint.executionId();
            }
            return completion != null ? completion.executionId() : null;
        }
    }
}
