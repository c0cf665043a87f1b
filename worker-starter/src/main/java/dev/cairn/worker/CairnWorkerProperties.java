package dev.cairn.worker;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of a Cairn worker ({@code cairn.worker.*}).
 *
 * @param enabled whether the worker starts: registers with the orchestrator and serves invocations
 * @param orchestratorUrl base URL of the orchestrator
 * @param advertisedUrl URL the orchestrator uses to reach this worker; by default {@code http://} + the local
 *     address + the port the web server actually listens on
 * @param token the worker's bearer token, sent as {@code Authorization: Bearer …} when set
 * @param maxConcurrency invocations run at once; further ones are refused with {@code 503}
 * @param workerId stable id of this worker process; by default the host name and a random suffix
 * @param heartbeatInterval interval between heartbeats until the orchestrator's registration answer sets one
 * @param registrationRetry delay between registration attempts while the orchestrator cannot be reached
 * @param requestTimeout the longest one request to the orchestrator may take (also its connect timeout)
 * @param retryFor how long checkpoints and completions are retried on transient errors (connection refused,
 *     {@code 5xx}) before the invocation is abandoned to the orchestrator's lease expiry
 * @param payloadLimit the largest payload (step result, condition state, context result) the worker sends while
 *     the orchestrator has not stated its own limit at registration
 * @param checkpointBatch how checkpoints and completions of concurrent invocations share requests
 * @param admissionWait how long an invocation that finds every slot taken waits for one before it is refused with
 *     {@code 503}: the orchestrator counts a slot free once it committed the completion, a moment before the
 *     worker frees it
 */
@ConfigurationProperties("cairn.worker")
public record CairnWorkerProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("http://localhost:8080") String orchestratorUrl,
        String advertisedUrl,
        String token,
        @DefaultValue("64") int maxConcurrency,
        String workerId,
        @DefaultValue("5s") Duration heartbeatInterval,
        @DefaultValue("2s") Duration registrationRetry,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("30s") Duration retryFor,
        @DefaultValue("1MB") DataSize payloadLimit,
        @DefaultValue CheckpointBatch checkpointBatch,
        @DefaultValue("200ms") Duration admissionWait) {

    /**
     * Batching of checkpoints and completions ({@code cairn.worker.checkpoint-batch.*}): those of concurrent
     * invocations travel together in {@code POST /v1/invocations/batch} requests.
     *
     * @param enabled false sends each checkpoint and completion alone to its own endpoint
     * @param maxInFlight batch requests under way at once; what is ready meanwhile waits for the next one
     * @param maxItems the most checkpoints and completions one request carries
     * @param maxBytes the size the items of one request stay within (a larger item travels alone)
     */
    public record CheckpointBatch(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("1") int maxInFlight,
            @DefaultValue("64") int maxItems,
            @DefaultValue("1MB") DataSize maxBytes) {
    }
}
