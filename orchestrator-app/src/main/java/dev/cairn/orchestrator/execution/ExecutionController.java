package dev.cairn.orchestrator.execution;

import dev.cairn.api.ErrorInfo;
import dev.cairn.orchestrator.api.FieldError;
import dev.cairn.orchestrator.api.InvalidRequestException;
import dev.cairn.orchestrator.api.Page;
import dev.cairn.orchestrator.metrics.CairnMetrics;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** The client REST API of executions. */
@RestController
public class ExecutionController {

    /** The error type recorded when a stop names no type. */
    static final String STOPPED_TYPE = "dev.cairn.orchestrator.ExecutionStopped";

    private final ExecutionService service;
    private final ExecutionQueries queries;
    private final CairnMetrics metrics;

    public ExecutionController(ExecutionService service, ExecutionQueries queries, CairnMetrics metrics) {
        this.service = service;
        this.queries = queries;
        this.metrics = metrics;
    }

    @PostMapping(path = "/v1/workflows/{workflow}/executions", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ExecutionView> start(@PathVariable String workflow, @RequestBody JsonNode body) {
        StartResult result = service.start(workflow, StartRequest.of(body));
        ExecutionView execution = result.execution();
        if (result.created()) {
            metrics.executionStarted(execution.workflow());
        }
        return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .location(URI.create("/v1/executions/" + execution.executionId()))
                .body(execution);
    }

    /**
     * Stops a running execution; body {@code {"error"?: {"type","message"}}} (optional). A stop of a STOPPED
     * execution answers it unchanged (a repeated stop); of one closed otherwise, 409.
     */
    @PostMapping("/v1/executions/{executionId}/stop")
    public ExecutionView stop(@PathVariable String executionId, @RequestBody(required = false) JsonNode body) {
        ExecutionService.Stopped stopped = service.stop(executionId, stopError(body));
        stopped.workflows().forEach(w -> metrics.executionCompleted(w, ExecutionStatus.STOPPED.name()));
        return stopped.execution();
    }

    @GetMapping("/v1/executions")
    public Page<ExecutionSummary> list(
            @RequestParam(required = false) String workflow,
            @RequestParam(required = false) List<String> status,
            @RequestParam(required = false) String executionName,
            @RequestParam(required = false) String startedAfter,
            @RequestParam(required = false) String startedBefore,
            @RequestParam(required = false) String order,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String pageToken) {
        List<ExecutionStatus> statuses = new ArrayList<>();
        if (status != null) {
            for (String s : status) {
                try {
                    statuses.add(ExecutionStatus.valueOf(s));
                } catch (IllegalArgumentException e) {
                    throw new InvalidRequestException("status", "must be one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT,"
                            + " STOPPED");
                }
            }
        }
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw new InvalidRequestException("order", "must be asc or desc");
        }
        ExecutionFilter filter = new ExecutionFilter(workflow, statuses, executionName,
                instant("startedAfter", startedAfter), instant("startedBefore", startedBefore), "asc".equals(order));
        return queries.list(filter, limit, pageToken);
    }

    @GetMapping("/v1/executions/{executionId}")
    public ExecutionView get(@PathVariable String executionId) {
        return queries.get(executionId);
    }

    @GetMapping("/v1/executions/{executionId}/operations")
    public Page<OperationView> operations(@PathVariable String executionId,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String pageToken) {
        return queries.operations(executionId, limit, pageToken);
    }

    @GetMapping("/v1/executions/{executionId}/history")
    public Page<HistoryEventView> history(@PathVariable String executionId,
            @RequestParam(defaultValue = "false") boolean reverse,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String pageToken) {
        return queries.history(executionId, reverse, limit, pageToken);
    }

    private static ErrorInfo stopError(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return null;
        }
        if (!body.isObject()) {
            throw new InvalidRequestException("body", "must be a JSON object {\"error\"?: {\"type\",\"message\"}}");
        }
        JsonNode error = body.get("error");
        if (error == null || error.isNull()) {
            return null;
        }
        List<FieldError> errors = new ArrayList<>();
        if (!error.isObject()) {
            throw new InvalidRequestException("error", "must be an object {\"type\",\"message\"}");
        }
        JsonNode type = error.get("type");
        JsonNode message = error.get("message");
        if (type != null && !type.isNull() && !type.isString()) {
            errors.add(new FieldError("error.type", "must be a string"));
        }
        if (message != null && !message.isNull() && !message.isString()) {
            errors.add(new FieldError("error.message", "must be a string"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        String typeText = type == null || type.isNull() || type.asString().isBlank() ? STOPPED_TYPE : type.asString();
        return new ErrorInfo(typeText, message == null || message.isNull() ? null : message.asString(), null);
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(field, "must be an ISO-8601 instant such as 2025-01-31T12:00:00Z");
        }
    }
}
