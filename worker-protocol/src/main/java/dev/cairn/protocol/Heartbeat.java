package dev.cairn.protocol;

import java.util.List;

/**
 * Worker → orchestrator, {@code POST /v1/workers/{workerId}/heartbeat}: still alive. The leases of the listed
 * invocations are extended. {@code 404} for a worker the orchestrator does not know: register again.
 *
 * @param inFlight invocations running now
 * @param invocations the invocations running now
 */
public record Heartbeat(int inFlight, List<InvocationRef> invocations) {

    public Heartbeat {
        invocations = invocations == null ? List.of() : List.copyOf(invocations);
    }

    /** An invocation that is still running. */
    public record InvocationRef(String executionId, String invocationToken) {
    }
}
