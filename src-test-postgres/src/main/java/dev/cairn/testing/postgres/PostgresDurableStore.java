package dev.cairn.testing.postgres;

import dev.cairn.api.ErrorInfo;
import dev.cairn.orchestrator.CairnOrchestratorApplication;
import dev.cairn.orchestrator.OrchestratorProperties;
import dev.cairn.orchestrator.dispatch.InvocationDispatcher;
import dev.cairn.orchestrator.dispatch.LeaseReaper;
import dev.cairn.orchestrator.ledger.Claim;
import dev.cairn.orchestrator.ledger.ClaimPass;
import dev.cairn.orchestrator.ledger.Ledger;
import dev.cairn.orchestrator.loop.BackgroundLoop;
import dev.cairn.orchestrator.retention.RetentionSweeper;
import dev.cairn.orchestrator.timer.TimerPoller;
import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.TimerKind;
import dev.cairn.protocol.WorkerRegistration;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.CallbackClosedException;
import dev.cairn.testing.DurableStore;
import dev.cairn.testing.ExecutionClosedException;
import dev.cairn.testing.ExecutionRecord;
import dev.cairn.testing.ExecutionStatus;
import dev.cairn.testing.HistoryEvent;
import dev.cairn.testing.TestDatabase;
import dev.cairn.testing.UnknownCallbackException;
import dev.cairn.testing.VirtualClock;
import dev.cairn.worker.client.ProtocolJson;
import dev.cairn.worker.replay.InvocationFencedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link DurableStore} over a real orchestrator (its application context, its REST API, its PostgreSQL), so that
 * {@code DurableStoreContract} can hold the orchestrator to the same recording rules as the in-memory store.
 *
 * <p>The orchestrator runs on a {@link VirtualClock} and its background loops that act on their own (dispatcher,
 * timer poller, lease reaper, retention sweeper) are stopped right after start: this adapter plays the
 * dispatcher ({@link #nextInvocation} claims through the orchestrator's {@link Ledger}, as
 * {@code InvocationDispatcher} does) and the timer poller ({@link #fireDueTimers} fires through its
 * {@link Ledger}, as {@code TimerPoller} does). Everything a worker or a client does goes over HTTP: starts,
 * checkpoints, completions, callbacks and every read. The workflows are made known by a real worker registration
 * ({@code POST /v1/workers/register}) of a worker that is never called.
 *
 * <p>For a workflow author: {@link PostgresTestRunner} runs a workflow on it; the project's own tests use it to hold
 * the orchestrator to {@code DurableStoreContract} and {@code DurableStoreEquivalence}.
 */
public final class PostgresDurableStore implements DurableStore, AutoCloseable {

    /** The endpoint of the registered worker, never called. */
    private static final String NEVER_CALLED = "http://127.0.0.1:9/never-called";
    /** The id of the registered (never called) worker. */
    public static final String WORKER_ID = "durable-store-contract";

    private static final int TIMER_BATCH = 500;
    private static final int CLAIM_LIMIT = 1000;

    private final ConfigurableApplicationContext context;
    private final VirtualClock clock;
    private final String baseUrl;
    private final Ledger ledger;
    private final JdbcClient jdbc;
    private final Duration leaseDuration;
    private final List<WorkflowRef> workflows;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The mapper a worker writes protocol messages with. */
    private final JsonMapper protocol = ProtocolJson.create();
    private final JsonMapper json = JsonMapper.builder().build();

    private PostgresDurableStore(ConfigurableApplicationContext context, VirtualClock clock,
            List<WorkflowRef> workflows) {
        this.context = context;
        this.clock = clock;
        this.baseUrl = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
        this.ledger = context.getBean(Ledger.class);
        this.jdbc = context.getBean(JdbcClient.class);
        this.leaseDuration = context.getBean(OrchestratorProperties.class).leaseDuration();
        this.workflows = List.copyOf(workflows);
    }

    /**
     * Starts an orchestrator on {@code db} whose time is {@code clock}, stops its self-driven loops and registers
     * a worker serving {@code workflows}.
     */
    public static PostgresDurableStore start(TestDatabase db, VirtualClock clock, List<WorkflowRef> workflows,
            String... extraProperties) {
        List<String> props = new ArrayList<>(List.of(db.springProperties()));
        props.addAll(List.of(
                "server.port=0",
                "management.server.port=0",
                "spring.application.name=cairn-orchestrator-durable-store",
                "spring.main.banner-mode=off",
                "cairn.worker.enabled=false",
                "cairn.security.open=true",
                "logging.level.dev.cairn=INFO"));
        props.addAll(List.of(extraProperties));
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(CairnOrchestratorApplication.class)
                .properties(props.toArray(String[]::new))
                .initializers(c -> ((GenericApplicationContext) c).registerBean("testClock", Clock.class,
                        () -> clock))
                .run();
        try {
            if (ctx.getBean(Clock.class) != clock) {
                throw new IllegalStateException("the orchestrator did not take the virtual clock");
            }
            for (Class<? extends BackgroundLoop> loop : List.of(InvocationDispatcher.class, TimerPoller.class,
                    LeaseReaper.class, RetentionSweeper.class)) {
                ctx.getBeansOfType(loop).values().forEach(BackgroundLoop::stop);
            }
            PostgresDurableStore store = new PostgresDurableStore(ctx, clock, workflows);
            store.register();
            return store;
        } catch (RuntimeException e) {
            ctx.close();
            throw e;
        }
    }

    /** Forgets every execution (with its operations, history and timers); registered workflows stay. */
    public void reset() {
        jdbc.sql("truncate table timers, history_events, operations, executions cascade").update();
    }

    /** A timer of the orchestrator's: when it is due and what firing it does. */
    public record DueTimer(String executionId, TimerKind kind, Instant dueAt) {
    }

    /** The timer of {@code executionIds} due first, or empty when they have none. */
    public Optional<DueTimer> nextTimer(Collection<String> executionIds) {
        if (executionIds.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.sql("""
                select execution_id, kind, due_at from timers where execution_id in (:ids)
                order by due_at, execution_id, timer_id limit 1""")
                .param("ids", executionIds.stream().map(UUID::fromString).toList())
                .query((rs, row) -> new DueTimer(rs.getString(1), TimerKind.valueOf(rs.getString(2)),
                        rs.getTimestamp(3).toInstant()))
                .optional();
    }

    /** The orchestrator's base URL. */
    public String baseUrl() {
        return baseUrl;
    }

    public VirtualClock clock() {
        return clock;
    }

    @Override
    public void close() {
        context.close();
    }

    private void register() {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        WorkerRegistration registration = new WorkerRegistration(WORKER_ID, NEVER_CALLED, 1, workflows,
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        Response r = post("/v1/workers/register", protocol.writeValueAsString(registration));
        if (r.status() != 200) {
            throw new IllegalStateException("registration answered " + r.status() + ": " + r.body());
        }
    }

    // ---------------------------------------------------------------- DurableStore

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public String start(String workflow, String input) {
        String body = input == null ? "{}" : "{\"input\":" + input + "}";
        Response r = post("/v1/workflows/" + segment(workflow) + "/executions", body);
        if (r.status() == 404) {
            throw new IllegalArgumentException("unknown workflow " + workflow + ": " + r.body());
        }
        if (r.status() != 201) {
            throw new IllegalStateException("start of " + workflow + " answered " + r.status() + ": " + r.body());
        }
        return tree(r.body()).get("executionId").asString();
    }

    /**
     * Claims ready executions as the dispatcher does, keeps the claim of {@code executionId} and releases the
     * others (ready again when they were).
     */
    @Override
    public Optional<Invocation> nextInvocation(String executionId) {
        UUID id = UUID.fromString(executionId);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<Claim> claims = ledger.claim(workflows, now, now.plus(leaseDuration), CLAIM_LIMIT);
        Claim mine = null;
        for (Claim claim : claims) {
            if (claim.executionId().equals(id)) {
                mine = claim;
            } else {
                ledger.release(claim.executionId(), claim.token(), claim.readyAt());
            }
        }
        if (mine == null) {
            return Optional.empty();
        }
        ledger.assign(List.of(new ClaimPass.WorkerClaim(mine, WORKER_ID)));
        List<OperationRecord> operations = ledger.operationLogs(List.of(id)).getOrDefault(id, List.of());
        return Optional.of(new Invocation(mine.executionId().toString(), mine.token().toString(), mine.workflow(),
                mine.version(), mine.input(), operations, mine.startedAt()));
    }

    @Override
    public void checkpoint(CheckpointRequest request) {
        invocationCall("/v1/invocations/checkpoints", request.executionId(), protocol.writeValueAsString(request));
    }

    @Override
    public void complete(CompletionRequest request) {
        invocationCall("/v1/invocations/complete", request.executionId(), protocol.writeValueAsString(request));
    }

    /** Moves the clock to {@code now} (when ahead) and fires every timer due then, as the timer poller does. */
    @Override
    public int fireDueTimers(Instant now) {
        clock.advanceTo(now);
        Instant at = now.truncatedTo(ChronoUnit.MICROS);
        int total = 0;
        int fired;
        do {
            fired = ledger.fireTimers(at, TIMER_BATCH).fired();
            total += fired;
        } while (fired >= TIMER_BATCH);
        return total;
    }

    @Override
    public void completeCallback(String callbackId, String result) {
        callbackCall(callbackId, "succeed", result == null ? "null" : result);
    }

    @Override
    public void failCallback(String callbackId, ErrorInfo error) {
        ObjectNode body = json.createObjectNode();
        body.put("type", error.type());
        if (error.message() != null) {
            body.put("message", error.message());
        }
        if (error.data() != null) {
            body.set("data", json.readTree(error.data()));
        }
        callbackCall(callbackId, "fail", json.writeValueAsString(body));
    }

    @Override
    public void heartbeatCallback(String callbackId) {
        callbackCall(callbackId, "heartbeat", "{}");
    }

    @Override
    public ExecutionRecord stop(String executionId) {
        Response r = post("/v1/executions/" + segment(executionId) + "/stop", "{}");
        switch (r.status()) {
            case 200 -> {
            }
            case 404 -> throw new IllegalArgumentException("unknown execution " + executionId + ": " + r.body());
            case 409 -> throw new ExecutionClosedException(executionId, execution(executionId).orElseThrow().status());
            default -> throw new IllegalStateException(r.status() + " from stop: " + r.body());
        }
        return execution(tree(r.body()));
    }

    @Override
    public Optional<ExecutionRecord> execution(String executionId) {
        Response r = get("/v1/executions/" + segment(executionId));
        if (r.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(execution(expectOk(r)));
    }

    private ExecutionRecord execution(JsonNode e) {
        return new ExecutionRecord(e.get("executionId").asString(), text(e, "workflow"),
                text(e, "version"), ExecutionStatus.valueOf(e.get("status").asString()), raw(e, "input"),
                raw(e, "result"), error(e.get("error")), instant(e, "startedAt"), instant(e, "endedAt"),
                text(e, "parentExecutionId"));
    }

    @Override
    public List<OperationRecord> operations(String executionId) {
        List<OperationRecord> operations = new ArrayList<>();
        for (JsonNode o : paged("/v1/executions/" + segment(executionId) + "/operations")) {
            operations.add(new OperationRecord(o.get("id").asString(), text(o, "parentId"),
                    OperationType.valueOf(o.get("type").asString()), text(o, "subType"), text(o, "name"),
                    OperationStatus.valueOf(o.get("status").asString()),
                    o.hasNonNull("attempt") ? o.get("attempt").asInt() : null, instant(o, "startedAt"),
                    instant(o, "endedAt"), raw(o, "result"), storedError(o), instant(o, "scheduledEndAt"),
                    instant(o, "nextAttemptAt"), text(o, "callbackId"), text(o, "childExecutionId")));
        }
        return operations;
    }

    @Override
    public List<HistoryEvent> history(String executionId) {
        List<HistoryEvent> events = new ArrayList<>();
        for (JsonNode h : paged("/v1/executions/" + segment(executionId) + "/history")) {
            JsonNode details = h.get("details");
            Map<String, Object> map = new LinkedHashMap<>();
            if (details != null && details.isObject()) {
                details.properties().forEach(p -> map.put(p.getKey(), json.treeToValue(p.getValue(), Object.class)));
            }
            events.add(new HistoryEvent(h.get("seq").asLong(), h.get("type").asString(), instant(h, "timestamp"),
                    text(h, "operationId"), text(h, "name"), map));
        }
        return events;
    }

    // ---------------------------------------------------------------- HTTP

    private record Response(int status, String body) {
    }

    private void invocationCall(String path, String executionId, String body) {
        Response r = post(path, body);
        switch (r.status()) {
            case 200 -> {
            }
            case 409 -> throw new InvocationFencedException(executionId, "409 from " + path + ": " + r.body());
            case 400 -> throw new IllegalArgumentException("400 from " + path + ": " + r.body());
            default -> throw new IllegalStateException(r.status() + " from " + path + ": " + r.body());
        }
    }

    private void callbackCall(String callbackId, String verb, String body) {
        String path = "/v1/callbacks/" + segment(callbackId) + "/" + verb;
        Response r = post(path, body);
        switch (r.status()) {
            case 200 -> {
            }
            case 404 -> throw new UnknownCallbackException(callbackId);
            case 409 -> throw new CallbackClosedException(callbackId, "409 from " + path + ": " + r.body());
            case 400 -> throw new IllegalArgumentException("400 from " + path + ": " + r.body());
            default -> throw new IllegalStateException(r.status() + " from " + path + ": " + r.body());
        }
    }

    private List<JsonNode> paged(String path) {
        List<JsonNode> items = new ArrayList<>();
        String token = null;
        do {
            Response r = get(path + "?limit=1000" + (token == null ? "" : "&pageToken=" + segment(token)));
            if (r.status() == 404) {
                throw new IllegalArgumentException("404 from " + path + ": " + r.body());
            }
            JsonNode page = expectOk(r);
            page.get("items").forEach(items::add);
            token = text(page, "nextPageToken");
        } while (token != null);
        return items;
    }

    private JsonNode expectOk(Response r) {
        if (r.status() != 200) {
            throw new IllegalStateException("expected 200, got " + r.status() + ": " + r.body());
        }
        return tree(r.body());
    }

    private Response post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> res = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(res.statusCode(), res.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- JSON

    private JsonNode tree(String body) {
        return json.readTree(body);
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    /** A field that the API writes as raw stored JSON, back as compact JSON text. */
    private String raw(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isMissingNode() ? null : json.writeValueAsString(value);
    }

    /**
     * The operation's stored error, as an invocation's log carries it: the API shows a SUCCEEDED operation's (an
     * earlier attempt's) as {@code lastAttemptError}.
     */
    private ErrorInfo storedError(JsonNode operation) {
        return error(operation.hasNonNull("error") ? operation.get("error") : operation.get("lastAttemptError"));
    }

    private ErrorInfo error(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        JsonNode data = node.get("data");
        return new ErrorInfo(node.get("type").asString(), text(node, "message"),
                data == null || data.isNull() ? null : json.writeValueAsString(data));
    }

    private static Instant instant(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            BigDecimal seconds = value.decimalValue();
            return Instant.ofEpochSecond(seconds.longValue(),
                    seconds.subtract(BigDecimal.valueOf(seconds.longValue())).movePointRight(9).longValue());
        }
        return Instant.parse(value.asString());
    }
}
