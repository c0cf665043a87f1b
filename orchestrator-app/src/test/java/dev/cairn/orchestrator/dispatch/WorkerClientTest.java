package dev.cairn.orchestrator.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.orchestrator.OrchestratorProperties;
import dev.cairn.protocol.Invocation;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.json.JsonMapper;

/** The worker client's two ways to send an invocation, against a real HTTP server standing in for a worker. */
class WorkerClientTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private final AtomicInteger received = new AtomicInteger();
    private volatile int status = 202;
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private HttpServer server;
    private WorkerClient client;

    @BeforeEach
    void startWorker() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/cairn/invocations", this::answer);
        server.setExecutor(serverThreads);
        server.start();
    }

    @AfterEach
    void stop() {
        hold.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
        if (client != null) {
            client.destroy();
        }
    }

    @Test
    void aSendFromTheCallerHasTheWorkersAnswerWhenItReturns() {
        client = client(Map.of());

        CompletionStage<SendOutcome> sent = client.sendFromCaller("w1", endpoint() + "/", "s3cret", invocation("e1"));

        assertThat(sent.toCompletableFuture()).isCompletedWithValue(SendOutcome.ACCEPTED);
        assertThat(authorizations).containsExactly("Bearer s3cret");
        assertThat(bodies).singleElement().satisfies(body ->
                assertThat(JSON.readValue(body, Invocation.class).executionId()).isEqualTo("e1"));
    }

    @Test
    void aWorkersRefusalIsTold() {
        client = client(Map.of());

        status = 503;
        assertThat(client.sendFromCaller("w1", endpoint(), null, invocation("e1")).toCompletableFuture())
                .isCompletedWithValue(SendOutcome.BUSY);
        status = 404;
        assertThat(client.sendFromCaller("w1", endpoint(), null, invocation("e2")).toCompletableFuture())
                .isCompletedWithValue(SendOutcome.NOT_SERVED);
        status = 500;
        assertThat(client.sendFromCaller("w1", endpoint(), null, invocation("e3")).toCompletableFuture())
                .isCompletedWithValue(SendOutcome.FAILED);
        assertThat(authorizations).containsOnly("none");
    }

    @Test
    void sendsFromCallersReuseOneConnection() {
        client = client(Map.of());

        for (int i = 0; i < 5; i++) {
            assertThat(client.sendFromCaller("w1", endpoint(), null, invocation("e" + i)).toCompletableFuture())
                    .isCompletedWithValue(SendOutcome.ACCEPTED);
        }

        assertThat(received).hasValue(5);
        assertThat(clientPorts).hasSize(1);
    }

    @Test
    void aCallerBeyondTheDirectSendsSendsAsynchronously() throws Exception {
        client = client(Map.of("cairn.orchestrator.worker-direct-sends", "1"));
        hold = new CountDownLatch(1);
        CompletableFuture<SendOutcome> first = CompletableFuture.supplyAsync(() ->
                client.sendFromCaller("w1", endpoint(), null, invocation("e1")).toCompletableFuture().join());
        await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == 1);

        CompletionStage<SendOutcome> second = client.sendFromCaller("w1", endpoint(), null, invocation("e2"));
        // the second is on its way to the held worker, not holding this thread
        assertThat(second.toCompletableFuture()).isNotDone();
        await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == 2);
        // another worker has permits of its own: its send holds its caller
        CompletableFuture<CompletionStage<SendOutcome>> otherWorker = CompletableFuture.supplyAsync(() ->
                client.sendFromCaller("w2", endpoint(), null, invocation("e3")));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == 3);
        assertThat(otherWorker).isNotDone();

        hold.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(SendOutcome.ACCEPTED);
        assertThat(second.toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(SendOutcome.ACCEPTED);
        assertThat(otherWorker.get(10, TimeUnit.SECONDS).toCompletableFuture())
                .isCompletedWithValue(SendOutcome.ACCEPTED);
    }

    @Test
    void withNoDirectSendsEveryCallerSendsAsynchronously() throws Exception {
        client = client(Map.of("cairn.orchestrator.worker-direct-sends", "0"));
        hold = new CountDownLatch(1);

        CompletionStage<SendOutcome> sent = client.sendFromCaller("w1", endpoint(), null, invocation("e1"));

        assertThat(sent.toCompletableFuture()).isNotDone();
        hold.countDown();
        assertThat(sent.toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(SendOutcome.ACCEPTED);
    }

    @Test
    void aWorkerSilentPastTheDirectSendTimeoutFailsTheSendAndFreesItsPermit() {
        // a worker request timeout far longer than the worker is held: only the direct send's own timeout ends it
        client = client(Map.of("cairn.orchestrator.worker-direct-send-timeout", "300ms",
                "cairn.orchestrator.worker-request-timeout", "60s", "cairn.orchestrator.worker-direct-sends", "1"));
        hold = new CountDownLatch(1);

        assertThat(client.sendFromCaller("w1", endpoint(), null, invocation("e1")).toCompletableFuture())
                .isCompletedWithValue(SendOutcome.FAILED);

        hold.countDown();
        // the permit came back: the next send is again made on this thread
        assertThat(client.sendFromCaller("w1", endpoint(), null, invocation("e2")).toCompletableFuture())
                .isCompletedWithValue(SendOutcome.ACCEPTED);
    }

    @Test
    void anUnreachableWorkerFailsItsSendsAndOpensItsCircuit() throws Exception {
        client = client(Map.of());
        String closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = "http://127.0.0.1:" + socket.getLocalPort();
        }

        for (int i = 0; i < 3; i++) {
            // after its one attempt the caller goes on; the asynchronous client tries again, and fails
            assertThat(client.sendFromCaller("gone", closed, null, invocation("e" + i)).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)).isEqualTo(SendOutcome.FAILED);
        }

        assertThat(client.isAvailable("gone")).isFalse();
        assertThat(client.isAvailable("w1")).isTrue();
        // while its circuit is open nothing is sent to it
        assertThat(client.sendFromCaller("gone", endpoint(), null, invocation("e9")).toCompletableFuture())
                .isCompletedWithValue(SendOutcome.FAILED);
        assertThat(received).hasValue(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            bodies.add(new String(body, StandardCharsets.UTF_8));
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(authorization == null ? "none" : authorization);
            clientPorts.add(exchange.getRemoteAddress().getPort());
            received.incrementAndGet();
            try {
                hold.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int answered = status;
            if (answered == 202) {
                exchange.sendResponseHeaders(202, -1);
                return;
            }
            byte[] problem = ("{\"status\":" + answered + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(answered, problem.length);
            exchange.getResponseBody().write(problem);
        }
    }

    private String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static Invocation invocation(String executionId) {
        return new Invocation(executionId, "token-" + executionId, "wf", "1", null, List.of(),
                Instant.parse("2026-12-07T00:00:00Z"));
    }

    private static WorkerClient client(Map<String, String> settings) {
        OrchestratorProperties properties = new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("cairn.orchestrator", OrchestratorProperties.class);
        return new WorkerClient(JSON, properties);
    }
}
