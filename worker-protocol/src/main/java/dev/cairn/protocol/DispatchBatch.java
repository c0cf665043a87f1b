package dev.cairn.protocol;

import java.util.List;

/**
 * Orchestrator → worker, {@code POST /cairn/invocations/batch}: several {@link Invocation}s (of different executions)
 * in one request, sent to a worker that registered {@link WorkerRegistration#invocationBatches()}. A dispatcher pass
 * that claims many executions for one worker (timers coming due together, a backlog draining) pays one HTTP exchange
 * for them instead of one each.
 *
 * <p>Each invocation is admitted as on {@code POST /cairn/invocations}, on its own: the answer is a
 * {@link DispatchBatchResponse} with one result per invocation, in the same order. A request that cannot be read as a
 * whole (no invocation secret, not JSON) is answered as on the single endpoint and nothing runs.
 *
 * <p>JSON: {@code {"invocations":[<invocation>, ...]}}, written and read by
 * {@link dev.cairn.protocol.json.InvocationCodec}.
 */
public record DispatchBatch(List<Invocation> invocations) {

    /** The JSON name of the list. */
    public static final String INVOCATIONS = "invocations";

    public DispatchBatch {
        invocations = invocations == null ? List.of() : List.copyOf(invocations);
    }
}
