package dev.cairn.protocol;

import java.util.List;

/**
 * Worker → orchestrator, the {@code 200} answer to a {@link DispatchBatch}: one result per invocation, in the order of
 * the invocations, each with the status {@code POST /cairn/invocations} would have answered for it alone:
 * {@code 202} runs (or already ran here), {@code 404} workflow and version not served, {@code 503} no free slot or
 * stopping, {@code 400} not an invocation.
 */
public record DispatchBatchResponse(List<InvocationBatchResponse.Result> results) {

    public DispatchBatchResponse {
        results = results == null ? List.of() : List.copyOf(results);
    }
}
