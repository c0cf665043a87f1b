package dev.cairn.protocol;

import java.util.List;

/**
 * Orchestrator → worker, the {@code 200} answer to an {@link InvocationBatch}: one {@link Result} per item, in the
 * order of the items. A request that cannot be read as a whole (not JSON, too large, no credentials) is answered as
 * on the single endpoints ({@code 400}, {@code 413}, {@code 401}/{@code 403}, problem+json) and nothing is written.
 */
public record InvocationBatchResponse(List<Result> results) {

    public InvocationBatchResponse {
        results = results == null ? List.of() : List.copyOf(results);
    }

    /**
     * What happened to one item, with the status its own endpoint would have answered: {@code 200} durable,
     * {@code 409} fenced (abandon the invocation), {@code 400} invalid (nothing written; {@code detail} says what is
     * wrong), {@code 500}/{@code 503} not written for a reason of the orchestrator's (the worker may send the item
     * again).
     *
     * @param title short summary of a failure, null on success
     * @param detail what was wrong, null on success
     */
    public record Result(int status, String title, String detail) {

        public static final Result OK = new Result(200, null, null);

        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }
    }
}
