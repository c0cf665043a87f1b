package dev.cairn.orchestrator.waiting;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of requests that wait for an execution to close ({@code cairn.orchestrator.wait.*}).
 *
 * @param max the longest wait a request gets: a longer {@code wait} is cut to this (the answer is then the execution
 *     as it is, RUNNING, and the client asks again)
 * @param maxWaiters the most requests parked in one replica at once; past it a wait is answered {@code 503} with
 *     {@code Retry-After}. Each parked request holds an HTTP connection: keep this well below
 *     {@code server.tomcat.max-connections} (8192), or waiting clients leave no connection to workers
 * @param recheckInterval how often the executions waited for are read again, in case the announcement that one
 *     closed was lost (a replica crashed between its commit and its notification)
 * @param retryAfter what {@code Retry-After} says when {@code max-waiters} are parked (whole seconds, at least 1)
 * @param heartbeatInterval while a request has waited this long, its answer's status and headers are sent, then a
 *     space every interval until the body follows (JSON allows leading whitespace): the servlet container notices a
 *     client that went away only when a write to it fails, and proxies see traffic
 */
@ConfigurationProperties("cairn.orchestrator.wait")
public record WaitProperties(
        @DefaultValue("60s") Duration max,
        @DefaultValue("4000") int maxWaiters,
        @DefaultValue("5s") Duration recheckInterval,
        @DefaultValue("1s") Duration retryAfter,
        @DefaultValue("5s") Duration heartbeatInterval) {

    public WaitProperties {
        if (max.isZero() || max.isNegative()) {
            throw new IllegalArgumentException("cairn.orchestrator.wait.max must be positive, was " + max);
        }
        if (maxWaiters < 1) {
            throw new IllegalArgumentException("cairn.orchestrator.wait.max-waiters must be at least 1, was "
                    + maxWaiters);
        }
        if (recheckInterval.isZero() || recheckInterval.isNegative()) {
            throw new IllegalArgumentException("cairn.orchestrator.wait.recheck-interval must be positive, was "
                    + recheckInterval);
        }
        if (heartbeatInterval.isZero() || heartbeatInterval.isNegative()) {
            throw new IllegalArgumentException("cairn.orchestrator.wait.heartbeat-interval must be positive, was "
                    + heartbeatInterval);
        }
        if (retryAfter.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("cairn.orchestrator.wait.retry-after must be at least 1s, was "
                    + retryAfter);
        }
    }

    /** {@link #retryAfter} in whole seconds, rounded up. */
    long retryAfterSeconds() {
        return retryAfter.plusNanos(999_999_999).getSeconds();
    }
}
