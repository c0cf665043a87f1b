package dev.cairn.orchestrator.checkpoint;

import dev.cairn.orchestrator.metrics.CairnMetrics;
import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.InvocationOutcome;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The worker-facing endpoints for running invocations: checkpoints and completion. Each records its latency
 * ({@code cairn_checkpoint_latency_seconds}, fenced and invalid requests included) and, once written, what it wrote
 * (operations, started children, closed executions, the invocation's outcome) from what it already holds.
 */
@RestController
public class InvocationController {

    private final CheckpointService service;
    private final CairnMetrics metrics;

    public InvocationController(CheckpointService service, CairnMetrics metrics) {
        this.service = service;
        this.metrics = metrics;
    }

    @PostMapping(path = "/v1/invocations/checkpoints", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> checkpoint(@RequestBody CheckpointRequest request) {
        long start = System.nanoTime();
        try {
            count(service.checkpoint(request));
            return Map.of();
        } finally {
            metrics.checkpointServed("checkpoint", Duration.ofNanos(System.nanoTime() - start));
        }
    }

    @PostMapping(path = "/v1/invocations/complete", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> complete(@RequestBody CompletionRequest request) {
        long start = System.nanoTime();
        try {
            Recorded recorded = service.complete(request);
            count(recorded);
            InvocationOutcome outcome = request.outcome();
            metrics.invocation(recorded.workflow(), outcome.name());
            if (outcome != InvocationOutcome.PENDING) {
                metrics.executionCompleted(recorded.workflow(), outcome.name());
            }
            return Map.of();
        } finally {
            metrics.checkpointServed("complete", Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private void count(Recorded recorded) {
        for (OperationRow op : recorded.operations()) {
            metrics.operation(op.type(), op.status());
        }
        for (String workflow : recorded.childWorkflows()) {
            metrics.executionStarted(workflow);
        }
    }
}
