package dev.cairn.orchestrator.execution;

import dev.cairn.api.ErrorInfo;
import dev.cairn.orchestrator.api.FieldError;
import dev.cairn.orchestrator.api.InvalidRequestException;
import dev.cairn.orchestrator.api.JsonBody;
import dev.cairn.orchestrator.api.Page;
import dev.cairn.orchestrator.metrics.CairnMetrics;
import dev.cairn.orchestrator.waiting.ExecutionWaiters;
import dev.cairn.orchestrator.waiting.WaitDuration;
import dev.cairn.orchestrator.waiting.Waiter;
import dev.cairn.protocol.ExecutionStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * The client REST API of executions. {@code GET /v1/executions/{id}?wait=…} and
 * {@code POST /v1/workflows/{workflow}/executions?wait=…} answer once the execution closed or the wait ended, as
 * their plain twins would then (the status in the body tells which); the request is parked without a thread
 * ({@link ExecutionWaiters}).
 */
@RestController
public class ExecutionController {

    /** The error type recorded when a stop names no type. */
    static final String STOPPED_TYPE = "dev.cairn.orchestrator.ExecutionStopped";

    private static final String WAIT_GET = "Optional. Answer once the execution is closed (SUCCEEDED, FAILED,"
            + " TIMED_OUT, STOPPED) or when this wait ends (then it is RUNNING: ask again); 200 either way, the same"
            + " body as without it. A duration such as `500ms`, `30s`, `2m` or `PT30S`; at most"
            + " `cairn.orchestrator.wait.max` (60 s), longer waits are cut to it; anything else is 400. 503 with"
            + " Retry-After when too many requests wait in this replica.";
    private static final String START_BODY = "The start: `input` (any JSON, the workflow's input), and optionally"
            + " `executionName` (1–64 of A-Z a-z 0-9 _ -; a start of a name already used answers that execution when"
            + " the input is the same, 409 otherwise), `version`, `timeoutSeconds` (1 to 31,622,400) and"
            + " `retentionDays` (1 to 90, default 14). Any other field is refused.";
    private static final String WAIT_START = "Optional. Start, then answer once the execution is closed or when"
            + " this wait ends, with the start's status code (201 started, 200 an idempotent repeat) and the"
            + " execution as it then is. Same durations and limits as the wait of `GET /v1/executions/{executionId}`;"
            + " a bad value starts nothing.";

    private final ExecutionService service;
    private final ExecutionQueries queries;
    private final CairnMetrics metrics;
    private final ExecutionWaiters waiters;
    private final JsonMapper json;
    /**
     * The start's body, read with a reader built once rather than through Spring MVC's message converters (their
     * lookup was 3 % of the orchestrator's CPU with 32 clients starting and waiting); failures are answered alike.
     */
    private final JsonBody<JsonNode> startBodies;

    public ExecutionController(ExecutionService service, ExecutionQueries queries, CairnMetrics metrics,
            ExecutionWaiters waiters, JsonMapper json) {
        this.json = json;
        this.startBodies = JsonBody.envelope(json, JsonNode.class);
        this.service = service;
        this.queries = queries;
        this.metrics = metrics;
        this.waiters = waiters;
    }

    @PostMapping(path = "/v1/workflows/{workflow}/executions", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(type = "object", description = START_BODY))))
    public ResponseEntity<ExecutionView> start(@PathVariable String workflow, HttpServletRequest request) {
        return start(workflow, startBodies.read(request));
    }

    private ResponseEntity<ExecutionView> start(String workflow, JsonNode body) {
        StartResult result = started(workflow, body);
        return startAnswer(result.created(), result.execution());
    }

    /**
     * Starts (as without {@code wait}: 201, or 200 for an idempotent repeat) and answers once the execution closed or
     * {@code wait} ended, with the start's status code and the execution as it then is. A {@code wait} that is not a
     * duration is refused before anything is started.
     */
    @PostMapping(path = "/v1/workflows/{workflow}/executions", params = WaitDuration.PARAMETER,
            consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(type = "object", description = START_BODY))))
    public ResponseEntity<ExecutionView> startAndWait(@PathVariable String workflow,
            @Parameter(description = WAIT_START) @RequestParam(name = WaitDuration.PARAMETER, required = false)
            String wait, HttpServletRequest request) {
        JsonNode body = startBodies.read(request);
        Duration waitFor = WaitDuration.parse(wait, waiters.maxWait());
        if (waitFor.isZero()) {
            return start(workflow, body);
        }
        try (ExecutionWaiters.Slot slot = waiters.reserve()) {
            AtomicReference<Waiter<ResponseEntity<ExecutionView>>> parkedFirst = new AtomicReference<>();
            StartResult result;
            try {
                // a new execution's request is parked before its first invocation is sent, so nothing can close it
                // unannounced to the waiter (a stop before the park that no one else waits for aside, which the
                // waiters' periodic look finds): it needs no second read
                result = started(workflow, body, created -> parkedFirst.set(park(slot, created, waitFor,
                        execution -> startAnswer(true, execution), request)));
            } catch (RuntimeException e) {
                if (parkedFirst.get() == null) {
                    throw e;
                }
                parkedFirst.get().fail(e);
                return null;
            }
            if (parkedFirst.get() != null) {
                return null;
            }
            return await(slot, result.execution(), waitFor, execution -> startAnswer(false, execution), request);
        }
    }

    private StartResult started(String workflow, JsonNode body) {
        return started(workflow, body, created -> {
        });
    }

    private StartResult started(String workflow, JsonNode body, Consumer<ExecutionView> beforeDispatch) {
        StartResult result = service.start(workflow, StartRequest.of(body), beforeDispatch);
        if (result.created()) {
            metrics.executionStarted(result.execution().workflow());
        }
        return result;
    }

    private static ResponseEntity<ExecutionView> startAnswer(boolean created, ExecutionView execution) {
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK)
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

    /**
     * The execution once it closed (SUCCEEDED, FAILED, TIMED_OUT, STOPPED) or {@code wait} ended (then RUNNING), 200
     * either way; {@code wait} longer than {@code cairn.orchestrator.wait.max} waits that long.
     */
    @GetMapping(path = "/v1/executions/{executionId}", params = WaitDuration.PARAMETER)
    public ResponseEntity<ExecutionView> getAfterWait(@PathVariable String executionId,
            @Parameter(description = WAIT_GET) @RequestParam(name = WaitDuration.PARAMETER, required = false)
            String wait, HttpServletRequest request) {
        Duration waitFor = WaitDuration.parse(wait, waiters.maxWait());
        ExecutionView execution = queries.get(executionId);
        if (execution.status().isClosed() || waitFor.isZero()) {
            return ResponseEntity.ok(execution);
        }
        try (ExecutionWaiters.Slot slot = waiters.reserve()) {
            return await(slot, execution, waitFor, ResponseEntity::ok, request);
        }
    }

    /**
     * Answers at once when {@code execution} is closed; else parks the request in {@code slot}, then reads the
     * execution again: one that closed after the first read but before the waiter was parked announced nothing to it.
     * The answer is {@code respond} applied to the execution as it is when the waiter is woken, written by the thread
     * that wakes it ({@link ExecutionAnswers}); the handler then returns null, which Spring MVC takes for "handled".
     */
    private ResponseEntity<ExecutionView> await(ExecutionWaiters.Slot slot, ExecutionView execution, Duration wait,
            Function<ExecutionView, ResponseEntity<ExecutionView>> respond, HttpServletRequest request) {
        if (execution.status().isClosed()) {
            return respond.apply(execution);
        }
        String id = execution.executionId().toString();
        Waiter<ResponseEntity<ExecutionView>> waiter = park(slot, execution, wait, respond, request);
        try {
            ExecutionView again = queries.get(id);
            if (again.status().isClosed()) {
                waiter.answer(respond.apply(again));
            }
        } catch (RuntimeException e) {
            waiter.fail(e);
        }
        return null;
    }

    /**
     * Parks the request in {@code slot} until {@code execution} closes or {@code wait} ends; then it is answered
     * {@code respond} applied to the execution as read then.
     */
    private Waiter<ResponseEntity<ExecutionView>> park(ExecutionWaiters.Slot slot, ExecutionView execution,
            Duration wait, Function<ExecutionView, ResponseEntity<ExecutionView>> respond, HttpServletRequest request) {
        String id = execution.executionId().toString();
        return slot.park(execution.executionId(), wait, () -> respond.apply(queries.get(id)), request,
                new ExecutionAnswers(json, request.getRequestURI()), head(respond.apply(execution)));
    }

    /** Sets the status and headers of {@code answer} (as any later answer of the same request has them). */
    static Consumer<HttpServletResponse> head(ResponseEntity<?> answer) {
        return response -> {
            response.setStatus(answer.getStatusCode().value());
            answer.getHeaders().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        };
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
