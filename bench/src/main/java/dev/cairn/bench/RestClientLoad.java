package dev.cairn.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * A user's service as a client of Cairn's public REST API and nothing else: it starts an execution
 * ({@code POST /v1/workflows/{name}/executions}) and learns that it ended by reading {@code GET /v1/executions/{id}}.
 * Two ways to learn it:
 * <ul>
 * <li>{@link Mode#WAIT}: the start asks {@code ?wait=<wait>} (start-and-wait), and while the execution is still
 * RUNNING the client reads it again with {@code ?wait=<wait>}, which answers as soon as it closes;</li>
 * <li>{@link Mode#POLL}: the start answers at once; the client reads the execution every {@code pollMs} until it is
 * closed.</li>
 * </ul>
 * Every figure is the client's: latency = from just before the start request until the answer that shows the
 * execution closed. A read with {@code ?wait=} that is refused because the orchestrator holds as many waiters as it
 * may (429, 503) is sent again after {@code pollMs}.
 */
final class RestClientLoad {

    static final Set<String> CLOSED = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED");

    enum Mode {
        WAIT, POLL
    }

    private final Api api;
    private final Mode mode;
    private final String wait;
    private final long pollMs;

    RestClientLoad(Api api, Mode mode, String wait, long pollMs) {
        this.api = api;
        this.mode = mode;
        this.wait = wait;
        this.pollMs = pollMs;
    }

    /**
     * What a closed loop measured: per execution the client's latency (ms), the wall time, executions that did not
     * end SUCCEEDED with the expected result, and the HTTP requests sent (starts included).
     */
    record Result(double[] latencyMs, double wallS, long failed, long requests, List<UUID> ids) {

        double executionsPerS() {
            return latencyMs.length / wallS;
        }
    }

    /**
     * {@code total} executions of {@code workflow} with {@code input}, {@code concurrency} clients at a time, each
     * starting the next when it learned the last one closed; {@code expectedResult} is the JSON result a SUCCEEDED
     * execution must carry (anything else counts as failed).
     */
    Result closedLoop(String workflow, String input, String expectedResult, int total, int concurrency)
            throws Exception {
        double[] latency = new double[total];
        List<UUID> ids = java.util.Collections.synchronizedList(new ArrayList<>(total));
        AtomicInteger next = new AtomicInteger();
        AtomicLong failed = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                futures.add(pool.submit(() -> {
                    int k;
                    while ((k = next.getAndIncrement()) < total) {
                        long s = System.nanoTime();
                        JsonNode closed = run(workflow, input, requests);
                        latency[k] = (System.nanoTime() - s) / 1e6;
                        ids.add(UUID.fromString(closed.get("executionId").asString()));
                        if (!"SUCCEEDED".equals(closed.get("status").asString())
                                || !Api.JSON.readTree(expectedResult).equals(closed.get("result"))) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(latency, (System.nanoTime() - t0) / 1e9, failed.get(), requests.get(), new ArrayList<>(ids));
    }

    /** Starts one execution and answers it as the first answer that shows it closed. */
    JsonNode run(String workflow, String input, AtomicLong requests) throws Exception {
        String query = mode == Mode.WAIT ? "?wait=" + wait : "";
        Api.Response started = api.post("/v1/workflows/" + workflow + "/executions" + query, "{\"input\":" + input
                + "}");
        requests.incrementAndGet();
        if (started.status() != 201 && started.status() != 200) {
            throw new IllegalStateException("start of " + workflow + " answered " + started.status() + ": "
                    + started.body());
        }
        JsonNode execution = Api.JSON.readTree(started.body());
        String path = "/v1/executions/" + execution.get("executionId").asString() + query;
        while (!CLOSED.contains(execution.path("status").asString(""))) {
            if (mode == Mode.POLL) {
                Thread.sleep(pollMs);
            }
            Api.Response r = api.get(path);
            requests.incrementAndGet();
            if (mode == Mode.WAIT && (r.status() == 429 || r.status() == 503)) {
                // the orchestrator holds as many waiters as it may: read again shortly, as a client would
                Thread.sleep(pollMs);
                continue;
            }
            if (r.status() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + r.status() + ": " + r.body());
            }
            execution = Api.JSON.readTree(r.body());
        }
        return execution;
    }

    /**
     * Whether the orchestrator honours {@code ?wait=}: starts an execution of {@code bench-timer} that stays open
     * for 3 s and reads it with {@code ?wait=500ms}. A server that waits cannot answer RUNNING before the 500 ms
     * passed; one that ignores the parameter answers at once.
     */
    static boolean waitSupported(Api api) throws Exception {
        UUID id = api.start("bench-timer", "{\"waitMs\":3000,\"dueAtMs\":0}");
        Api.Response r = api.get("/v1/executions/" + id + "?wait=500ms");
        return r.status() == 200 && (r.nanos() >= 450_000_000L
                || CLOSED.contains(Api.JSON.readTree(r.body()).path("status").asString("")));
    }
}
