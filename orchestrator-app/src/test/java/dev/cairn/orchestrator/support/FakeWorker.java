package dev.cairn.orchestrator.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.DispatchBatch;
import dev.cairn.protocol.DispatchBatchResponse;
import dev.cairn.protocol.Heartbeat;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.InvocationBatchResponse;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationUpdate;
import dev.cairn.protocol.WorkerRegistration;
import dev.cairn.protocol.WorkflowRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker speaking the real protocol over real HTTP: it registers, heartbeats, accepts invocations on
 * {@code /cairn/invocations} and runs a scripted "replay" per workflow that calls the orchestrator's checkpoint
 * and completion endpoints.
 */
public final class FakeWorker implements AutoCloseable {

    /** What the worker does with one invocation. */
    @FunctionalInterface
    public interface Script {
        void run(Calls calls);
    }

    private final String workerId;
    private final String orchestratorUrl;
    private final Clock clock;
    private final List<WorkflowRef> workflows;
    private final int capacity;
    private final Http http;
    private final String invocationSecret = newSecret();
    private final AtomicInteger unauthorized = new AtomicInteger();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final List<Invocation> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
    private final boolean takesBatches;
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final AtomicInteger singleRequests = new AtomicInteger();

    private FakeWorker(String workerId, String orchestratorUrl, String token, Clock clock, List<WorkflowRef> workflows,
            int capacity, boolean takesBatches) throws IOException {
        this.takesBatches = takesBatches;
        this.http = new Http(token);
        this.workerId = workerId;
        this.orchestratorUrl = orchestratorUrl;
        this.clock = clock;
        this.workflows = workflows;
        this.capacity = capacity;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/cairn/invocations", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts, registers and heartbeats (every 200 ms, listing no invocations). */
    public static FakeWorker start(String workerId, String orchestratorUrl, Clock clock, int capacity,
            WorkflowRef... workflows) {
        return start(workerId, orchestratorUrl, null, clock, capacity, workflows);
    }

    /** Starts with a bearer token for the orchestrator (a token with the worker role). */
    public static FakeWorker start(String workerId, String orchestratorUrl, String token, Clock clock, int capacity,
            WorkflowRef... workflows) {
        return start(workerId, orchestratorUrl, token, clock, capacity, false, workflows);
    }

    /**
     * Starts a worker that registers {@code invocationBatches} and takes several invocations in one request on
     * {@code /cairn/invocations/batch}.
     */
    public static FakeWorker startTakingBatches(String workerId, String orchestratorUrl, Clock clock, int capacity,
            WorkflowRef... workflows) {
        return start(workerId, orchestratorUrl, null, clock, capacity, true, workflows);
    }

    private static FakeWorker start(String workerId, String orchestratorUrl, String token, Clock clock, int capacity,
            boolean takesBatches, WorkflowRef... workflows) {
        try {
            FakeWorker worker = new FakeWorker(workerId, orchestratorUrl, token, clock, List.of(workflows), capacity,
                    takesBatches);
            worker.register();
            worker.heartbeats.scheduleWithFixedDelay(worker::heartbeat, 200, 200, TimeUnit.MILLISECONDS);
            return worker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public FakeWorker script(String workflow, Script script) {
        scripts.put(workflow, script);
        return this;
    }

    /** Answers 503 (busy) to the next {@code times} invocations of {@code workflow}. */
    public FakeWorker refuse(String workflow, int times) {
        refusals.put(workflow, new AtomicInteger(times));
        return this;
    }

    public Http.Response register() {
        Http.Response r = http.post(orchestratorUrl + "/v1/workers/register",
                new WorkerRegistration(workerId, endpoint(), capacity, workflows, invocationSecret, takesBatches));
        if (r.status() != 200) {
            throw new IllegalStateException("registration failed: " + r);
        }
        return r;
    }

    public void heartbeat() {
        Http.Response r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(orchestratorUrl
                        + "/v1/workers/" + workerId + "/heartbeat"))
                .header("Content-Type", "application/json")
                .header(Heartbeat.WORKER_SECRET_HEADER, invocationSecret)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        Http.JSON.writeValueAsString(new Heartbeat(0, List.of())))));
        if (r.status() == 404) {
            register();
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String workerId() {
        return workerId;
    }

    /** Invocations refused because they did not carry this worker's invocation secret. */
    public int unauthorized() {
        return unauthorized.get();
    }

    public String invocationSecret() {
        return invocationSecret;
    }

    public List<Invocation> received() {
        return received;
    }

    /** How many invocations each request on {@code /cairn/invocations/batch} carried, in the order they came. */
    public List<Integer> batchSizes() {
        return batchSizes;
    }

    /** Requests on {@code /cairn/invocations} (one invocation each). */
    public int singleRequests() {
        return singleRequests.get();
    }

    public List<Invocation> received(String executionId) {
        return received.stream().filter(i -> i.executionId().equals(executionId)).toList();
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (!MessageDigest.isEqual(("Bearer " + invocationSecret).getBytes(StandardCharsets.UTF_8),
                String.valueOf(authorization).getBytes(StandardCharsets.UTF_8))) {
            unauthorized.incrementAndGet();
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
            return;
        }
        if (exchange.getRequestURI().getPath().endsWith("/batch")) {
            handleBatch(exchange);
            return;
        }
        singleRequests.incrementAndGet();
        Invocation invocation;
        try (InputStream in = exchange.getRequestBody()) {
            invocation = Http.JSON.readValue(in.readAllBytes(), Invocation.class);
        }
        exchange.sendResponseHeaders(admit(invocation), -1);
        exchange.close();
    }

    private void handleBatch(HttpExchange exchange) throws IOException {
        if (!takesBatches) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        DispatchBatch batch;
        try (InputStream in = exchange.getRequestBody()) {
            batch = Http.JSON.readValue(in.readAllBytes(), DispatchBatch.class);
        }
        batchSizes.add(batch.invocations().size());
        List<InvocationBatchResponse.Result> results = batch.invocations().stream()
                .map(i -> new InvocationBatchResponse.Result(admit(i), null, null)).toList();
        byte[] body = Http.JSON.writeValueAsBytes(new DispatchBatchResponse(results));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** Records the invocation and starts its script: the status the worker answers for it. */
    private int admit(Invocation invocation) {
        Script script = scripts.get(invocation.workflow());
        received.add(invocation);
        AtomicInteger refuse = refusals.get(invocation.workflow());
        if (refuse != null && refuse.getAndDecrement() > 0) {
            return 503;
        }
        if (script == null) {
            return 404;
        }
        executor.submit(() -> script.run(new Calls(invocation)));
        return 202;
    }

    private static String newSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What a script can do during one invocation. */
    public final class Calls {

        private final Invocation invocation;

        Calls(Invocation invocation) {
            this.invocation = invocation;
        }

        public Invocation invocation() {
            return invocation;
        }

        public Optional<OperationRecord> op(String id) {
            return invocation.operations().stream().filter(o -> o.id().equals(id)).findFirst();
        }

        public Instant now() {
            return clock.instant();
        }

        public int checkpoint(OperationUpdate... updates) {
            return http.post(orchestratorUrl + "/v1/invocations/checkpoints", new CheckpointRequest(
                    invocation.executionId(), invocation.invocationToken(), List.of(updates))).status();
        }

        public int complete(InvocationOutcome outcome, String result, ErrorInfo error, OperationUpdate... updates) {
            Instant now = clock.instant();
            return http.post(orchestratorUrl + "/v1/invocations/complete", new CompletionRequest(
                    invocation.executionId(), invocation.invocationToken(), outcome, result, error, List.of(updates),
                    now, now)).status();
        }
    }
}
