package dev.cairn.orchestrator;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the orchestrator ({@code cairn.orchestrator.*}).
 *
 * @param leaseDuration how long an invocation may run without a checkpoint or a heartbeat listing it before it
 *     counts as lost and the execution is dispatched again
 * @param workerTimeout a worker is live while its last heartbeat is at most this old
 * @param heartbeatInterval how often workers are told to heartbeat
 * @param dispatchPollInterval longest pause of the dispatcher between two looks for ready executions when no
 *     notification wakes it
 * @param dispatchBatchSize most executions claimed by one dispatcher pass
 * @param dispatchRetryDelay how long an execution whose worker refused it (busy, unreachable) waits before it is
 *     dispatched again
 * @param timerPollInterval longest pause of the timer poller (and the lease reaper) between two passes
 * @param timerBatchSize most timers fired (and leases reaped) in one transaction
 * @param payloadLimit largest request body accepted from clients (413 above)
 * @param workerRequestLimit largest request body accepted from workers (registrations, heartbeats, checkpoints
 *     and completions, which may carry several payloads at once)
 * @param workerConnectTimeout connect timeout of invocation requests to workers
 * @param workerRequestTimeout time a worker has to accept an invocation (answer 202)
 * @param workerDirectSends most requests to one worker sent on their callers' threads at once (a start sending its
 *     execution's first invocation waits for the worker's answer); beyond them, and with 0, they are sent
 *     asynchronously. The JDK keeps up to {@code http.maxConnections} (5) idle connections per worker for them
 * @param workerDirectSendTimeout longest a start waits for the worker to answer the first invocation it sends itself
 *     (opening the connection included, and never longer than the worker timeouts); a worker silent for longer
 *     counts as not answering: the claim is released and the execution dispatched again
 * @param metricsRefreshInterval how often the gauges read from the database (running executions, ready backlog,
 *     live workers) are refreshed
 * @param retentionInterval longest pause of the retention sweeper between two passes that found nothing more to
 *     delete
 * @param retentionBatchSize most expired executions deleted (with everything they own) in one transaction
 * @param maxBatchItems most items (checkpoints and completions) in one {@code POST /v1/invocations/batch}
 */
@ConfigurationProperties("cairn.orchestrator")
public record OrchestratorProperties(
        @DefaultValue("30s") Duration leaseDuration,
        @DefaultValue("15s") Duration workerTimeout,
        @DefaultValue("5s") Duration heartbeatInterval,
        @DefaultValue("1s") Duration dispatchPollInterval,
        @DefaultValue("100") int dispatchBatchSize,
        @DefaultValue("500ms") Duration dispatchRetryDelay,
        @DefaultValue("1s") Duration timerPollInterval,
        @DefaultValue("500") int timerBatchSize,
        @DefaultValue("1MB") DataSize payloadLimit,
        @DefaultValue("16MB") DataSize workerRequestLimit,
        @DefaultValue("2s") Duration workerConnectTimeout,
        @DefaultValue("10s") Duration workerRequestTimeout,
        @DefaultValue("4") int workerDirectSends,
        @DefaultValue("1s") Duration workerDirectSendTimeout,
        @DefaultValue("15s") Duration metricsRefreshInterval,
        @DefaultValue("1m") Duration retentionInterval,
        @DefaultValue("1000") int retentionBatchSize,
        @DefaultValue("1000") int maxBatchItems) {

    public OrchestratorProperties {
        requirePositive("lease-duration", leaseDuration);
        requirePositive("worker-timeout", workerTimeout);
        requirePositive("heartbeat-interval", heartbeatInterval);
        if (workerTimeout.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("cairn.orchestrator.worker-timeout (" + workerTimeout
                    + ") must be at least twice cairn.orchestrator.heartbeat-interval (" + heartbeatInterval
                    + "), or live workers would be taken for dead between two heartbeats");
        }
        requirePositive("dispatch-poll-interval", dispatchPollInterval);
        requirePositive("timer-poll-interval", timerPollInterval);
        requirePositive("worker-connect-timeout", workerConnectTimeout);
        requirePositive("worker-request-timeout", workerRequestTimeout);
        requirePositive("worker-direct-send-timeout", workerDirectSendTimeout);
        requirePositive("metrics-refresh-interval", metricsRefreshInterval);
        requirePositive("retention-interval", retentionInterval);
        if (workerDirectSends < 0) {
            throw new IllegalArgumentException("cairn.orchestrator.worker-direct-sends must not be negative, was "
                    + workerDirectSends);
        }
        if (dispatchRetryDelay.isNegative()) {
            throw new IllegalArgumentException("cairn.orchestrator.dispatch-retry-delay must not be negative");
        }
        if (dispatchBatchSize < 1 || timerBatchSize < 1 || retentionBatchSize < 1 || maxBatchItems < 1) {
            throw new IllegalArgumentException("cairn.orchestrator batch sizes must be at least 1");
        }
        if (payloadLimit.toBytes() < 1024 || workerRequestLimit.toBytes() < 1024) {
            throw new IllegalArgumentException("cairn.orchestrator payload limits must be at least 1KB");
        }
    }

    private static void requirePositive(String key, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException("cairn.orchestrator." + key + " must be positive, was " + value);
        }
    }
}
