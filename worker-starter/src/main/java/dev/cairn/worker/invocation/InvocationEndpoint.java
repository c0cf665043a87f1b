package dev.cairn.worker.invocation;

import dev.cairn.protocol.DispatchBatch;
import dev.cairn.protocol.DispatchBatchResponse;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.InvocationBatchResponse.Result;
import dev.cairn.protocol.json.InvocationCodec;
import dev.cairn.worker.replay.WorkflowBinding;
import dev.cairn.worker.workflow.WorkflowCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /cairn/invocations}: the orchestrator hands this worker an {@link Invocation}. Only a request with
 * {@code Authorization: Bearer <the worker's invocation secret>} is looked at; any other gets {@code 401} before
 * its body is read. Answers {@code 202} once it runs (or already runs), {@code 404} when the workflow and version
 * are not served here, {@code 503} when every slot is taken or the worker is stopping, {@code 400} for a body that
 * is not an invocation. Errors are {@code application/problem+json}. The body is parsed as it arrives
 * ({@link InvocationCodec}), so a large operation log is read and parsed at the same time.
 *
 * <p>{@code POST /cairn/invocations/batch} takes several invocations at once ({@link DispatchBatch}, sent because the
 * worker registers {@code invocationBatches}) and answers {@code 200} with a {@link DispatchBatchResponse}: for each
 * invocation, in order, the status the single endpoint would have answered.
 */
public final class InvocationEndpoint {

    /** The path the orchestrator posts invocations to, under the worker's advertised URL. */
    public static final String PATH = "/cairn/invocations";

    /** The path the orchestrator posts several invocations to in one {@link DispatchBatch}. */
    public static final String BATCH_PATH = PATH + "/batch";

    private static final Result ACCEPTED = new Result(HttpStatus.ACCEPTED.value(), null, null);

    private static final Logger log = LoggerFactory.getLogger(InvocationEndpoint.class);

    private final WorkflowCatalog catalog;
    private final InvocationPool pool;
    private final JsonMapper json;
    private final InvocationSecret secret;
    private final InvocationCodec reader;

    /** @param secret what the orchestrator must present; the same the worker registers with */
    public InvocationEndpoint(WorkflowCatalog catalog, InvocationPool pool, JsonMapper json,
            InvocationSecret secret) {
        this.catalog = catalog;
        this.pool = pool;
        this.json = json;
        this.secret = Objects.requireNonNull(secret, "secret");
        this.reader = new InvocationCodec(json.tokenStreamFactory());
    }

    /** The route, for a {@link RouterFunction} bean. */
    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route().POST(PATH, this::accept).POST(BATCH_PATH, this::acceptBatch).build();
    }

    ServerResponse accept(ServerRequest request) throws Exception {
        if (!authorized(request)) {
            return unauthorized();
        }
        Invocation invocation;
        try {
            invocation = reader.read(request.servletRequest().getInputStream());
        } catch (JacksonException e) {
            return problem(HttpStatus.BAD_REQUEST, "Not an invocation", e.getOriginalMessage());
        }
        Result result = admit(invocation, pool.admissionWait());
        if (result.isSuccess()) {
            return ServerResponse.accepted().build();
        }
        return problem(HttpStatus.valueOf(result.status()), result.title(), result.detail());
    }

    /**
     * Several invocations in one request ({@link DispatchBatch}): each admitted as {@link #accept} admits one, in
     * order, the pool's admission wait shared by all of them; answered {@code 200} with one result per invocation.
     */
    ServerResponse acceptBatch(ServerRequest request) throws Exception {
        if (!authorized(request)) {
            return unauthorized();
        }
        DispatchBatch batch;
        try {
            batch = reader.readBatch(request.servletRequest().getInputStream());
        } catch (JacksonException e) {
            return problem(HttpStatus.BAD_REQUEST, "Not a batch of invocations", e.getOriginalMessage());
        }
        long deadline = System.nanoTime() + pool.admissionWait().toNanos();
        List<Result> results = new ArrayList<>(batch.invocations().size());
        for (Invocation invocation : batch.invocations()) {
            results.add(admit(invocation, Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
        }
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                .body(json.writeValueAsString(new DispatchBatchResponse(results)));
    }

    private boolean authorized(ServerRequest request) {
        if (secret.isPresentedBy(request.headers().header(HttpHeaders.AUTHORIZATION))) {
            return true;
        }
        log.debug("Refused an invocation without this worker's invocation secret from {}",
                request.remoteAddress().map(Object::toString).orElse("?"));
        return false;
    }

    private ServerResponse unauthorized() {
        return problem(HttpStatus.UNAUTHORIZED, "Unauthorized",
                "Invocations must carry Authorization: Bearer <this worker's invocation secret>");
    }

    /** Starts the invocation if it can run here, waiting at most {@code wait} for a slot: what to answer for it. */
    private Result admit(Invocation invocation, Duration wait) {
        if (invocation == null || blank(invocation.executionId()) || blank(invocation.invocationToken())
                || blank(invocation.workflow()) || blank(invocation.version())) {
            return new Result(HttpStatus.BAD_REQUEST.value(), "Not an invocation",
                    "executionId, invocationToken, workflow and version are required");
        }
        Optional<WorkflowBinding> workflow = catalog.find(invocation.workflow(), invocation.version());
        if (workflow.isEmpty()) {
            return new Result(HttpStatus.NOT_FOUND.value(), "Workflow not served", "This worker does not serve"
                    + " workflow '" + invocation.workflow() + "' version " + invocation.version());
        }
        Admission admission = pool.submit(invocation, workflow.get(), wait);
        log.debug("Invocation of execution {} ({} v{}): {}", invocation.executionId(), invocation.workflow(),
                invocation.version(), admission);
        return switch (admission) {
            case ACCEPTED, ALREADY_RUNNING -> ACCEPTED;
            case FULL -> new Result(HttpStatus.SERVICE_UNAVAILABLE.value(), "No free capacity",
                    "All " + pool.capacity() + " invocation slots of this worker are taken");
            case STOPPED -> new Result(HttpStatus.SERVICE_UNAVAILABLE.value(), "Worker stopping",
                    "This worker is shutting down");
        };
    }

    private ServerResponse problem(HttpStatus status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status.value());
        body.put("detail", detail);
        ServerResponse.BodyBuilder response = ServerResponse.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            response.header(HttpHeaders.RETRY_AFTER, "1");
        }
        if (status == HttpStatus.UNAUTHORIZED) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return response.body(json.writeValueAsString(body));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
