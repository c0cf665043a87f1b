package dev.cairn.worker.invocation;

import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.json.InvocationCodec;
import dev.cairn.worker.replay.WorkflowBinding;
import dev.cairn.worker.workflow.WorkflowCatalog;
import java.util.LinkedHashMap;
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
 */
public final class InvocationEndpoint {

    /** The path the orchestrator posts invocations to, under the worker's advertised URL. */
    public static final String PATH = "/cairn/invocations";

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
        return RouterFunctions.route().POST(PATH, this::accept).build();
    }

    ServerResponse accept(ServerRequest request) throws Exception {
        if (!secret.isPresentedBy(request.headers().header(HttpHeaders.AUTHORIZATION))) {
            log.debug("Refused an invocation without this worker's invocation secret from {}",
                    request.remoteAddress().map(Object::toString).orElse("?"));
            return problem(HttpStatus.UNAUTHORIZED, "Unauthorized",
                    "Invocations must carry Authorization: Bearer <this worker's invocation secret>");
        }
        Invocation invocation;
        try {
            invocation = reader.read(request.servletRequest().getInputStream());
        } catch (JacksonException e) {
            return problem(HttpStatus.BAD_REQUEST, "Not an invocation", e.getOriginalMessage());
        }
        if (invocation == null || blank(invocation.executionId()) || blank(invocation.invocationToken())
                || blank(invocation.workflow()) || blank(invocation.version())) {
            return problem(HttpStatus.BAD_REQUEST, "Not an invocation",
                    "executionId, invocationToken, workflow and version are required");
        }
        Optional<WorkflowBinding> workflow = catalog.find(invocation.workflow(), invocation.version());
        if (workflow.isEmpty()) {
            return problem(HttpStatus.NOT_FOUND, "Workflow not served", "This worker does not serve workflow '"
                    + invocation.workflow() + "' version " + invocation.version());
        }
        Admission admission = pool.submit(invocation, workflow.get());
        log.debug("Invocation of execution {} ({} v{}): {}", invocation.executionId(), invocation.workflow(),
                invocation.version(), admission);
        return switch (admission) {
            case ACCEPTED, ALREADY_RUNNING -> ServerResponse.accepted().build();
            case FULL -> problem(HttpStatus.SERVICE_UNAVAILABLE, "No free capacity",
                    "All " + pool.capacity() + " invocation slots of this worker are taken");
            case STOPPED -> problem(HttpStatus.SERVICE_UNAVAILABLE, "Worker stopping",
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
