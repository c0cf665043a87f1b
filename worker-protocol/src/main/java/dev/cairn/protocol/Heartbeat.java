package dev.cairn.protocol;

import java.util.List;

/**
 * Worker → orchestrator, {@code POST /v1/workers/{workerId}/heartbeat}: still alive. The leases of the listed
 * invocations are extended. {@code 404} for a worker the orchestrator does not know: register again. The request
 * proves that it comes from the worker that registered the id: it carries the registration's
 * {@code invocationSecret} in the {@value #WORKER_SECRET_HEADER} header (none for a worker registered without one);
 * any other secret gets {@code 409}.
 *
 * @param inFlight invocations running now
 * @param invocations the invocations running now
 */
public record Heartbeat(int inFlight, List<InvocationRef> invocations) {

    /** The header that carries the worker's {@code invocationSecret} on a heartbeat. */
    public static final String WORKER_SECRET_HEADER = "Cairn-Worker-Secret";

    public Heartbeat {
        invocations = invocations == null ? List.of() : List.copyOf(invocations);
    }

    /** An invocation that is still running. */
    public record InvocationRef(String executionId, String invocationToken) {
    }
}
