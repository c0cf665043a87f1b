package dev.cairn.worker.metrics;

import dev.cairn.worker.invocation.InvocationEndpoint;
import io.micrometer.observation.ObservationPredicate;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * No {@code http.server.requests} observation (metric {@code http_server_requests_seconds}) of the orchestrator's
 * invocation requests ({@code /cairn/invocations} and its batch): they come once or more per execution, and starting
 * and stopping the observation of each was a tenth of the worker's CPU while timers resumed many executions at once.
 * What they do is counted by {@code cairn.worker.invocations} and {@code cairn.step.duration} instead.
 */
public final class InvocationRequestObservations {

    private InvocationRequestObservations() {
    }

    /** The predicate, for an {@link ObservationPredicate} bean. */
    public static ObservationPredicate noHttpServerObservationOfInvocations() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext server
                && isInvocationRequest(server.getCarrier()));
    }

    static boolean isInvocationRequest(HttpServletRequest request) {
        return request != null
                && request.getRequestURI().startsWith(InvocationEndpoint.PATH, request.getContextPath().length());
    }
}
