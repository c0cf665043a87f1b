package dev.cairn.orchestrator.metrics;

import io.micrometer.observation.ObservationPredicate;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * No {@code http.server.requests} observation (metric {@code http_server_requests_seconds}) for the worker's
 * checkpoint and completion requests ({@code /v1/invocations/**}): they are the orchestrator's most frequent
 * requests, one or more per step, and have their own timer, {@code cairn_checkpoint_latency_seconds}. Observing
 * them cost a measurable share of each request's CPU (see the README, "Request path").
 */
@Configuration(proxyBeanMethods = false)
public class InvocationRequestObservations {

    static final String PREFIX = "/v1/invocations/";

    @Bean
    ObservationPredicate noHttpServerObservationOfInvocationRequests() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext server
                && isInvocationRequest(server.getCarrier()));
    }

    static boolean isInvocationRequest(HttpServletRequest request) {
        return request != null && request.getRequestURI().startsWith(PREFIX, request.getContextPath().length());
    }
}
