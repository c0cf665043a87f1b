package dev.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client-view scenario's REST client against a small in-JVM server that speaks the start and read endpoints of
 * the public API: an execution is RUNNING for its first {@code readsUntilClosed} reads, then SUCCEEDED with result
 * 45. The server either honours {@code ?wait=} (a read with it holds a RUNNING answer until the wait ends, a start
 * with it answers the closed execution) or ignores it, as an orchestrator without waiting does.
 */
class RestClientLoadTest {

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();

    private Api serve(boolean honoursWait, int readsUntilClosed) throws IOException {
        return serve(honoursWait, readsUntilClosed, 0);
    }

    /** {@code refusals}: the first reads with {@code ?wait=} answer 429, as an orchestrator full of waiters does. */
    private Api serve(boolean honoursWait, int readsUntilClosed, int refusals) throws IOException {
        AtomicInteger refused = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/v1/", ex -> {
            String query = ex.getRequestURI().getRawQuery();
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI());
            boolean wait = honoursWait && query != null && query.startsWith("wait=");
            String path = ex.getRequestURI().getPath();
            if (ex.getRequestMethod().equals("POST")) {
                ex.getRequestBody().readAllBytes();
                String id = UUID.randomUUID().toString();
                reads.put(id, new AtomicInteger());
                answer(ex, 201, execution(id, wait && !path.contains("bench-timer")));
            } else if (wait && refused.getAndIncrement() < refusals) {
                answer(ex, 429, "{\"title\":\"Too many waiters\"}");
            } else {
                String id = path.substring(path.lastIndexOf('/') + 1);
                boolean closed = reads.get(id).incrementAndGet() > readsUntilClosed;
                if (!closed && wait) {
                    sleepFor(query.substring("wait=".length()));
                }
                answer(ex, 200, execution(id, closed));
            }
        });
        server.start();
        return new Api("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void pollingReadsTheExecutionUntilItIsClosedWithoutAskingToWait() throws Exception {
        Api api = serve(false, 2);
        RestClientLoad client = new RestClientLoad(api, RestClientLoad.Mode.POLL, "30s", 1);

        RestClientLoad.Result r = client.closedLoop("bench-steps", "{\"steps\":10}", "45", 6, 3);

        assertThat(r.latencyMs()).hasSize(6);
        assertThat(r.ids()).doesNotHaveDuplicates().hasSize(6);
        assertThat(r.failed()).isZero();
        assertThat(r.requests()).isEqualTo(6 * (1 + 3)); // a start, two RUNNING reads, the closing one
        assertThat(requests).noneMatch(q -> q.contains("wait="));
    }

    @Test
    void waitingStartsAndReadsWithWaitAndNeedsNoFurtherReadOnceTheStartAnsweredClosed() throws Exception {
        Api api = serve(true, 0);
        RestClientLoad client = new RestClientLoad(api, RestClientLoad.Mode.WAIT, "30s", 1);

        RestClientLoad.Result r = client.closedLoop("bench-steps", "{\"steps\":10}", "45", 4, 2);

        assertThat(r.failed()).isZero();
        assertThat(r.requests()).isEqualTo(4);
        assertThat(requests).allMatch(q -> q.startsWith("POST /v1/workflows/bench-steps/executions?wait=30s"));
    }

    @Test
    void aReadWithWaitRefusedAsTooManyWaitersIsSentAgain() throws Exception {
        Api api = serve(true, 0, 2);
        RestClientLoad client = new RestClientLoad(api, RestClientLoad.Mode.WAIT, "30s", 1);

        RestClientLoad.Result r = client.closedLoop("bench-timer", "{\"waitMs\":0,\"dueAtMs\":0}", "45", 1, 1);

        assertThat(r.failed()).isZero();
        // the start (RUNNING: the server closes bench-timer only on reads), two refused reads, the closing one
        assertThat(requests).filteredOn(q -> q.startsWith("GET")).hasSize(3).allMatch(q -> q.endsWith("?wait=30s"));
        assertThat(r.requests()).isEqualTo(1 + 2 + 1);
    }

    @Test
    void aResultOtherThanTheExpectedOneCountsAsFailed() throws Exception {
        Api api = serve(false, 0);
        RestClientLoad client = new RestClientLoad(api, RestClientLoad.Mode.POLL, "30s", 1);

        RestClientLoad.Result r = client.closedLoop("bench-steps", "{\"steps\":10}", "46", 3, 1);

        assertThat(r.failed()).isEqualTo(3);
    }

    @Test
    void waitIsSupportedWhenAReadWithWaitHoldsARunningAnswerForTheWait() throws Exception {
        assertThat(RestClientLoad.waitSupported(serve(true, 1))).isTrue();
    }

    @Test
    void waitIsNotSupportedWhenAReadWithWaitAnswersRunningAtOnce() throws Exception {
        assertThat(RestClientLoad.waitSupported(serve(false, 1))).isFalse();
    }

    private static String execution(String id, boolean closed) {
        return "{\"executionId\":\"" + id + "\",\"workflow\":\"bench-steps\",\"status\":\""
                + (closed ? "SUCCEEDED\",\"result\":45}" : "RUNNING\"}");
    }

    private static void sleepFor(String duration) {
        try {
            Thread.sleep(duration.endsWith("ms") ? Long.parseLong(duration.replace("ms", ""))
                    : Long.parseLong(duration.replace("s", "")) * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
