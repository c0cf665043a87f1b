package dev.cairn.orchestrator.checkpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cairn.orchestrator.OrchestratorProperties;
import dev.cairn.orchestrator.api.JsonBody;
import dev.cairn.orchestrator.api.ProblemException;
import dev.cairn.orchestrator.ledger.OperationRow;
import dev.cairn.orchestrator.metrics.CairnMetrics;
import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.InvocationBatch;
import dev.cairn.protocol.InvocationBatchResponse;
import dev.cairn.protocol.InvocationOutcome;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker-facing endpoints for running invocations: checkpoints, completion, and both for several invocations in
 * one request. Each checkpoint and completion records its latency ({@code cairn_checkpoint_latency_seconds}, fenced
 * and invalid ones included) and, once written, what it wrote (operations, started children, closed executions,
 * the invocation's outcome) from what it already holds.
 *
 * <p>These requests come once or more per step, so their bodies are read with readers built once and their answers
 * written as bytes, without Spring MVC's message-converter lookup and content negotiation (see the README, "Request
 * path"); unreadable bodies fail as through the converter, answered by the same problem handler.
 */
@RestController
public class InvocationController {

    private static final Logger log = LoggerFactory.getLogger(InvocationController.class);
    private static final String CHECKPOINT = "checkpoint";
    private static final String COMPLETE = "complete";
    /** The fields of the worker protocol that carry JSON text: operation payloads, results and error data. */
    private static final Set<String> JSON_TEXT_FIELDS = Set.of("payload", "result", "data");

    private final CheckpointService service;
    private final CairnMetrics metrics;
    private final JsonBody<CheckpointRequest> checkpoints;
    private final JsonBody<CompletionRequest> completions;
    private final BatchItems batches;
    private final ObjectWriter batchAnswers;

    public InvocationController(CheckpointService service, CairnMetrics metrics, OrchestratorProperties properties,
            JsonMapper mapper) {
        this.service = service;
        this.metrics = metrics;
        this.checkpoints = new JsonBody<>(mapper, CheckpointRequest.class, JSON_TEXT_FIELDS);
        this.completions = new JsonBody<>(mapper, CompletionRequest.class, JSON_TEXT_FIELDS);
        this.batches = new BatchItems(mapper, JSON_TEXT_FIELDS, properties.workerRequestLimit().toBytes(),
                properties.maxBatchItems());
        // a successful item is {"status":200}
        this.batchAnswers = mapper.rebuild()
                .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
                .build().writerFor(InvocationBatchResponse.class);
    }

    @PostMapping(path = "/v1/invocations/checkpoints", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(requestBody = @RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = CheckpointRequest.class))),
            responses = @ApiResponse(responseCode = "200", description = "durable: {}", content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object"))))
    public void checkpoint(HttpServletRequest http, HttpServletResponse response) throws IOException {
        CheckpointRequest request = checkpoints.read(http);
        long start = System.nanoTime();
        try {
            count(service.checkpoint(request));
        } finally {
            metrics.checkpointServed(CHECKPOINT, Duration.ofNanos(System.nanoTime() - start));
        }
        JsonBody.writeEmptyObject(response);
    }

    @PostMapping(path = "/v1/invocations/complete", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(requestBody = @RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = CompletionRequest.class))),
            responses = @ApiResponse(responseCode = "200", description = "durable: {}", content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object"))))
    public void complete(HttpServletRequest http, HttpServletResponse response) throws IOException {
        CompletionRequest request = completions.read(http);
        long start = System.nanoTime();
        try {
            Recorded recorded = service.complete(request);
            countCompletion(request, recorded);
        } finally {
            metrics.checkpointServed(COMPLETE, Duration.ofNanos(System.nanoTime() - start));
        }
        JsonBody.writeEmptyObject(response);
    }

    /**
     * Checkpoints and completions of several invocations: each item is answered as its own endpoint would answer
     * it, in order (one that cannot be read, is too large or holds text that is not Unicode included); the valid
     * ones are written together.
     */
    @PostMapping(path = "/v1/invocations/batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(requestBody = @RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = InvocationBatch.class))),
            responses = @ApiResponse(responseCode = "200", description = "one result per item, in order",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = InvocationBatchResponse.class))))
    public void batch(HttpServletRequest http, HttpServletResponse response) throws IOException {
        BatchItems.Read read = batches.read(http);
        List<InvocationBatch.Item> items = read.items();
        long start = System.nanoTime();
        List<CheckpointService.ItemOutcome> outcomes = service.recordAll(items);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        List<InvocationBatchResponse.Result> results = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            InvocationBatch.Item item = items.get(i);
            CheckpointService.ItemOutcome outcome = outcomes.get(i);
            if (read.refused().get(i) != null) {
                // refused while reading: its empty stand-in was refused by the service too, and nothing written
                results.add(read.refused().get(i));
                continue;
            }
            if (outcome.failure() == null) {
                if (item.completion() != null) {
                    countCompletion(item.completion(), outcome.recorded());
                } else {
                    count(outcome.recorded());
                }
                results.add(InvocationBatchResponse.Result.OK);
            } else {
                results.add(failure(i, outcome.failure()));
            }
            if ((item.checkpoint() == null) != (item.completion() == null)) {
                metrics.checkpointServed(item.checkpoint() != null ? CHECKPOINT : COMPLETE, took);
            }
        }
        JsonBody.writeOk(response, batchAnswers.writeValueAsBytes(new InvocationBatchResponse(results)));
    }

    /** The answer its own endpoint would have given, as a result of the batch. */
    private static InvocationBatchResponse.Result failure(int index, RuntimeException e) {
        if (e instanceof ProblemException p) {
            return new InvocationBatchResponse.Result(p.status().value(), p.title(), p.getMessage());
        }
        if (e instanceof TransientDataAccessException || e instanceof DataAccessResourceFailureException) {
            log.warn("Database error while writing item {} of a batch: {}", index, e.getMessage());
            return new InvocationBatchResponse.Result(503, "Service unavailable", "the database did not answer");
        }
        log.error("Unexpected error while writing item {} of a batch", index, e);
        return new InvocationBatchResponse.Result(500, "Internal server error", "unexpected error");
    }

    private void countCompletion(CompletionRequest request, Recorded recorded) {
        if (recorded.repeated()) {
            return;
        }
        count(recorded);
        InvocationOutcome outcome = request.outcome();
        metrics.invocation(recorded.workflow(), outcome.name());
        if (outcome != InvocationOutcome.PENDING) {
            metrics.executionCompleted(recorded.workflow(), outcome.name());
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
