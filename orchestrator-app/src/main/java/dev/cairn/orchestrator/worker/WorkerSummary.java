package dev.cairn.orchestrator.worker;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cairn.protocol.WorkflowRef;
import java.time.Instant;
import java.util.List;

/**
 * A worker as {@code GET /v1/workers} shows it.
 *
 * @param inFlight invocations it said it runs, in its last heartbeat
 * @param status {@code LIVE} while its last heartbeat is at most {@code worker-timeout} old, else {@code DEAD}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkerSummary(String workerId, String endpoint, List<WorkflowRef> workflows, int capacity, int inFlight,
        Instant lastHeartbeatAt, String status) {
}
