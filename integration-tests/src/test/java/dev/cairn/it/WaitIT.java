package dev.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.it.apps.SideEffects;
import dev.cairn.it.apps.counting.CountingWorkerApp;
import dev.cairn.it.support.CairnApi;
import dev.cairn.it.support.Orchestrators;
import dev.cairn.it.support.Workers;
import dev.cairn.orchestrator.waiting.ExecutionWaiters;
import dev.cairn.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Waiting without polling: {@code GET /v1/executions/{id}?wait=…} and {@code POST …/executions?wait=…} answer once the
 * execution closed, whichever replica wrote the close, or when the wait ended; parked requests hold a bounded slot
 * that a client going away frees. Two replicas on one database; the worker talks to replica A only, so every
 * checkpoint and completion is written by A. The replicas' periodic look at parked executions is set to 10 minutes:
 * what wakes a waiter here is the announcement of the close (in-process on the writing replica, NOTIFY on the other).
 * Replica B sends its waiters' status and headers after 200 ms and a space every 200 ms after that, so its answers
 * are those of a long wait (JSON after whitespace), and a client that left is noticed at the next write.
 */
class WaitIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String LONG_WAIT = "wait=60s";

    private static TestDatabase db;
    private static ConfigurableApplicationContext replicaA;
    private static ConfigurableApplicationContext replicaB;
    private static ConfigurableApplicationContext worker;
    private static CairnApi apiA;
    private static CairnApi apiB;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(WaitIT.class);
        replicaA = Orchestrators.start(db, 0, "cairn.orchestrator.wait.recheck-interval=10m");
        // B beats often: its waiters' status and headers go out early, and clients that left are noticed soon
        replicaB = Orchestrators.start(db, 0, "cairn.orchestrator.wait.recheck-interval=10m",
                "cairn.orchestrator.wait.heartbeat-interval=200ms");
        worker = Workers.start(CountingWorkerApp.class, Orchestrators.url(replicaA), new SideEffects());
        apiA = new CairnApi(Orchestrators.url(replicaA));
        apiB = new CairnApi(Orchestrators.url(replicaB));
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext ctx : new ConfigurableApplicationContext[] {worker, replicaA, replicaB}) {
            if (ctx != null) {
                ctx.close();
            }
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void manyWaitersOnManyExecutionsAreAllWokenOnBothReplicas() throws Exception {
        int executions = 100;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < executions; i++) {
            ids.add(apiA.start("awaits-approval", "{}"));
        }
        List<String> callbacks = ids.stream().map(WaitIT::callbackOf).toList();
        int parkedA = parked(replicaA);
        int parkedB = parked(replicaB);

        List<CompletableFuture<CairnApi.Response>> onA = new ArrayList<>();
        List<CompletableFuture<CairnApi.Response>> onB = new ArrayList<>();
        for (String id : ids) {
            onA.add(waitFor(apiA, id));
            onB.add(waitFor(apiB, id));
        }
        await().atMost(PATIENCE).until(() -> parked(replicaA) == parkedA + executions
                && parked(replicaB) == parkedB + executions);
        assertThat(onA).noneMatch(CompletableFuture::isDone);
        assertThat(onB).noneMatch(CompletableFuture::isDone);

        for (int i = 0; i < executions; i++) {
            CairnApi.Response approved = apiA.post("/v1/callbacks/" + callbacks.get(i) + "/succeed",
                    "\"ada-" + i + "\"");
            assertThat(approved.status()).as(approved.body() == null ? "" : approved.body().toString()).isEqualTo(200);
        }

        for (int i = 0; i < executions; i++) {
            for (CairnApi.Response r : List.of(onA.get(i).get(PATIENCE.toSeconds(), TimeUnit.SECONDS),
                    onB.get(i).get(PATIENCE.toSeconds(), TimeUnit.SECONDS))) {
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body().get("executionId").asString()).isEqualTo(ids.get(i));
                assertThat(r.body().get("status").asString()).as(ids.get(i)).isEqualTo("SUCCEEDED");
                assertThat(r.body().get("result").asString()).isEqualTo("approved by ada-" + i);
            }
        }
        await().atMost(PATIENCE).until(() -> parked(replicaA) == parkedA && parked(replicaB) == parkedB);
    }

    @Test
    void aWaiterOnTheOtherReplicaIsWokenByTheCloseThatReplicaADidNotAnnounceToItInProcess() throws Exception {
        String id = apiA.start("awaits-approval", "{}");
        String callback = callbackOf(id);
        int before = parked(replicaB);
        CompletableFuture<CairnApi.Response> onB = waitFor(apiB, id);
        await().atMost(PATIENCE).until(() -> parked(replicaB) == before + 1);

        apiA.post("/v1/callbacks/" + callback + "/succeed", "\"grace\"");

        CairnApi.Response r = onB.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(r.body().get("result").asString()).isEqualTo("approved by grace");
    }

    @Test
    void startAndWaitAnswersTheResultInOneCall() {
        CairnApi.Response r = apiB.post("/v1/workflows/greeting/executions?wait=30s", "{\"input\":{\"name\":\"Ada\"}}");

        assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(201);
        assertThat(r.body().get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(r.body().get("result").asString()).isEqualTo("Hello, Ada!");
        assertThat(r.header("Location")).isEqualTo("/v1/executions/" + r.body().get("executionId").asString());
    }

    @Test
    void aBurstOfStartAndWaitsOnBothReplicasAllAnswerTheirResults() throws Exception {
        // executions that close within milliseconds of their start: many close before or while their waiter parks
        List<CompletableFuture<CairnApi.Response>> answers = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            answers.add((i % 2 == 0 ? apiA : apiB).sendAsync("POST", "/v1/workflows/greeting/executions?wait=60s",
                    "{\"input\":{\"name\":\"n" + i + "\"}}", Duration.ofSeconds(90)));
        }
        for (int i = 0; i < answers.size(); i++) {
            CairnApi.Response r = answers.get(i).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(201);
            assertThat(r.body().get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(r.body().get("result").asString()).isEqualTo("Hello, n" + i + "!");
        }
    }

    @Test
    void startAndWaitSentTwiceAnswersTheSameExecution() {
        String name = "greet-" + UUID.randomUUID();
        String body = "{\"executionName\":\"" + name + "\",\"input\":{\"name\":\"Grace\"}}";

        CairnApi.Response first = apiA.post("/v1/workflows/greeting/executions?wait=30s", body);
        CairnApi.Response second = apiB.post("/v1/workflows/greeting/executions?wait=30s", body);
        CairnApi.Response other = apiA.post("/v1/workflows/greeting/executions?wait=30s",
                "{\"executionName\":\"" + name + "\",\"input\":{\"name\":\"Eve\"}}");

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body().get("executionId")).isEqualTo(first.body().get("executionId"));
        assertThat(first.body().get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(other.status()).isEqualTo(409);
        assertThat(apiA.get("/v1/executions?executionName=" + name).body().get("items")).hasSize(1);
    }

    @Test
    void startAndWaitOfAnExecutionThatDoesNotCloseInTimeAnswersItRunningWithTheStartsStatus() {
        CairnApi.Response r = apiA.post("/v1/workflows/awaits-approval/executions?wait=200ms", "{}");

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.body().get("status").asString()).isEqualTo("RUNNING");
    }

    @Test
    void aWaitThatEndsAnswersTheExecutionRunningAsWithoutWait() {
        String id = apiA.start("awaits-approval", "{}");
        callbackOf(id);

        CairnApi.Response waited = apiB.get("/v1/executions/" + id + "?wait=500ms");
        CairnApi.Response plain = apiB.get("/v1/executions/" + id);

        assertThat(waited.status()).isEqualTo(200);
        assertThat(waited.body().get("status").asString()).isEqualTo("RUNNING");
        assertThat(waited.body()).isEqualTo(plain.body());
        assertThat(waited.contentType()).isEqualTo(plain.contentType());
    }

    @Test
    void aClosedExecutionIsAnsweredAtOnceAndAZeroWaitIsNoWait() {
        CairnApi.Response done = apiA.post("/v1/workflows/greeting/executions?wait=30s",
                "{\"input\":{\"name\":\"Lin\"}}");
        String id = done.body().get("executionId").asString();
        String running = apiA.start("awaits-approval", "{}");

        assertThat(apiB.get("/v1/executions/" + id + "?wait=60s").body()).isEqualTo(done.body());
        assertThat(apiB.get("/v1/executions/" + running + "?wait=0s").body().get("status").asString())
                .isEqualTo("RUNNING");
    }

    @Test
    void badWaitValuesAre400NamingTheParameterAndStartNothing() {
        String id = apiA.start("awaits-approval", "{}");
        for (String wait : List.of("abc", "-1s", "30", "", "PT-5S", "10x", "99999999999999999999s")) {
            CairnApi.Response r = apiA.get("/v1/executions/" + id + "?wait=" + wait);
            assertThat(r.status()).as(wait).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.body().get("errors").get(0).get("field").asString()).isEqualTo("wait");
        }
        String name = "not-started-" + UUID.randomUUID();
        CairnApi.Response start = apiA.post("/v1/workflows/greeting/executions?wait=soon",
                "{\"executionName\":\"" + name + "\",\"input\":{\"name\":\"Ada\"}}");
        assertThat(start.status()).isEqualTo(400);
        assertThat(start.body().get("detail").asString()).contains("wait");
        assertThat(apiA.get("/v1/executions?executionName=" + name).body().get("items")).isEmpty();
        assertThat(apiA.get("/v1/executions/" + UUID.randomUUID() + "?wait=1s").status()).isEqualTo(404);
        assertThat(apiA.get("/v1/executions/not-a-uuid?wait=1s").status()).isEqualTo(404);
    }

    @Test
    void aWaitLongerThanTheMaximumIsCutToIt() {
        ConfigurableApplicationContext shortWaits = Orchestrators.start(db, 0, "cairn.orchestrator.wait.max=300ms");
        try {
            CairnApi api = new CairnApi(Orchestrators.url(shortWaits));
            String id = api.start("awaits-approval", "{}");

            CairnApi.Response r = api.get("/v1/executions/" + id + "?wait=1h");

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body().get("status").asString()).isEqualTo("RUNNING");
        } finally {
            shortWaits.close();
        }
    }

    @Test
    void aReplicaThatShutsDownAnswersItsParkedRequestsWithTheExecutionAsItIs() throws Exception {
        ConfigurableApplicationContext leaving = Orchestrators.start(db, 0);
        CompletableFuture<CairnApi.Response> waiter;
        try {
            CairnApi api = new CairnApi(Orchestrators.url(leaving));
            String id = api.start("awaits-approval", "{}");
            callbackOf(id);
            waiter = waitFor(api, id);
            await().atMost(PATIENCE).until(() -> parked(leaving) == 1);
        } finally {
            leaving.close();
        }

        CairnApi.Response r = waiter.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("status").asString()).isEqualTo("RUNNING");
    }

    @Test
    void anExecutionTimeoutWakesItsWaitersOnEveryReplica() throws Exception {
        String id = apiA.start("awaits-approval", "{\"timeoutSeconds\":1}");
        int beforeA = parked(replicaA);
        int beforeB = parked(replicaB);
        CompletableFuture<CairnApi.Response> onA = waitFor(apiA, id);
        CompletableFuture<CairnApi.Response> onB = waitFor(apiB, id);

        assertThat(onA.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body().get("status").asString())
                .isEqualTo("TIMED_OUT");
        assertThat(onB.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body().get("status").asString())
                .isEqualTo("TIMED_OUT");
        await().atMost(PATIENCE).until(() -> parked(replicaA) <= beforeA && parked(replicaB) <= beforeB);
    }

    @Test
    void aStopWakesTheWaitersOfTheExecutionAndOfTheChainedChildrenItStops() throws Exception {
        String parent = apiA.start("invokes-approval", "{}");
        String child = childOf(parent);
        callbackOf(child);
        int beforeA = parked(replicaA);
        int beforeB = parked(replicaB);
        CompletableFuture<CairnApi.Response> parentOnA = waitFor(apiA, parent);
        CompletableFuture<CairnApi.Response> childOnA = waitFor(apiA, child);
        CompletableFuture<CairnApi.Response> childOnB = waitFor(apiB, child);
        await().atMost(PATIENCE).until(() -> parked(replicaA) == beforeA + 2 && parked(replicaB) == beforeB + 1);

        assertThat(apiB.post("/v1/executions/" + parent + "/stop", "{}").status()).isEqualTo(200);

        for (CompletableFuture<CairnApi.Response> waiter : List.of(parentOnA, childOnA, childOnB)) {
            assertThat(waiter.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).body().get("status").asString())
                    .isEqualTo("STOPPED");
        }
    }

    @Test
    void aCloseWhoseAnnouncementWasLostIsFoundByThePeriodicRecheck() throws Exception {
        // waits of up to 10 minutes here: within the test's patience, only the recheck can answer
        ConfigurableApplicationContext rechecking = Orchestrators.start(db, 0,
                "cairn.orchestrator.wait.recheck-interval=300ms", "cairn.orchestrator.wait.max=10m");
        try {
            CairnApi api = new CairnApi(Orchestrators.url(rechecking));
            String id = api.start("awaits-approval", "{}");
            callbackOf(id);
            CompletableFuture<CairnApi.Response> waiter = api.sendAsync("GET", "/v1/executions/" + id + "?wait=10m",
                    null, Duration.ofMinutes(11));
            await().atMost(PATIENCE).until(() -> parked(rechecking) == 1);

            // as if the replica that closed it died between its commit and its notification: nothing announces it
            JdbcClient.create(db.dataSource()).sql("""
                    update executions set status = 'FAILED', ended_at = now(), ready_at = null,
                           error = '{"type":"Lost","message":"closed unannounced"}'
                     where execution_id = cast(:id as uuid)""").param("id", id).update();

            CairnApi.Response r = waiter.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(r.body().get("status").asString()).isEqualTo("FAILED");
            assertThat(r.body().get("error").get("message").asString()).isEqualTo("closed unannounced");
        } finally {
            rechecking.close();
        }
    }

    @Test
    void clientsThatDisconnectFreeTheirSlots() throws Exception {
        String id = apiA.start("awaits-approval", "{}");
        callbackOf(id);
        int before = parked(replicaB);
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                clients.add(rawWait(replicaB, "/v1/executions/" + id + "?" + LONG_WAIT));
            }
            await().atMost(PATIENCE).until(() -> parked(replicaB) == before + 5);
            assertThat(waitersGauge(replicaB)).isEqualTo(before + 5);
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
        // well before the 60 s wait could have ended
        await().atMost(Duration.ofSeconds(20)).until(() -> parked(replicaB) == before);
        assertThat(waitersGauge(replicaB)).isEqualTo(before);
    }

    @Test
    void pastTheBoundAWaitIsRefusedWith503AndRetryAfterUntilASlotIsFree() throws Exception {
        ConfigurableApplicationContext bounded = Orchestrators.start(db, 0,
                "cairn.orchestrator.wait.max-waiters=2", "cairn.orchestrator.wait.retry-after=3s",
                "cairn.orchestrator.wait.heartbeat-interval=200ms");
        List<Socket> clients = new ArrayList<>();
        try {
            CairnApi api = new CairnApi(Orchestrators.url(bounded));
            String id = api.start("awaits-approval", "{}");
            callbackOf(id);
            for (int i = 0; i < 2; i++) {
                clients.add(rawWait(bounded, "/v1/executions/" + id + "?" + LONG_WAIT));
            }
            await().atMost(PATIENCE).until(() -> parked(bounded) == 2);

            CairnApi.Response refused = api.get("/v1/executions/" + id + "?wait=1s");
            CairnApi.Response startRefused = api.post("/v1/workflows/greeting/executions?wait=1s",
                    "{\"input\":{\"name\":\"Bo\"}}");
            CairnApi.Response plain = api.get("/v1/executions/" + id);

            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.header("Retry-After")).isEqualTo("3");
            assertThat(refused.body().get("detail").asString()).contains("max-waiters");
            assertThat(startRefused.status()).isEqualTo(503);
            assertThat(plain.status()).isEqualTo(200);

            clients.get(0).close();
            await().atMost(Duration.ofSeconds(20)).until(() -> parked(bounded) == 1);
            CairnApi.Response admitted = api.get("/v1/executions/" + id + "?wait=200ms");
            assertThat(admitted.status()).isEqualTo(200);
            assertThat(admitted.body().get("status").asString()).isEqualTo("RUNNING");
        } finally {
            for (Socket s : clients) {
                s.close();
            }
            bounded.close();
        }
    }

    private static CompletableFuture<CairnApi.Response> waitFor(CairnApi api, String id) {
        return api.sendAsync("GET", "/v1/executions/" + id + "?" + LONG_WAIT, null, Duration.ofSeconds(90));
    }

    /** Sends a waiting GET on a connection of its own and leaves it open: closing the socket is the client leaving. */
    private static Socket rawWait(ConfigurableApplicationContext orchestrator, String path) throws IOException {
        Socket socket = new Socket("127.0.0.1", port(orchestrator));
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static int port(ConfigurableApplicationContext orchestrator) {
        return Integer.parseInt(orchestrator.getEnvironment().getProperty("local.server.port"));
    }

    private static int parked(ConfigurableApplicationContext orchestrator) {
        return orchestrator.getBean(ExecutionWaiters.class).parked();
    }

    private static double waitersGauge(ConfigurableApplicationContext orchestrator) {
        return orchestrator.getBean(MeterRegistry.class).get("cairn.executions.waiters").gauge().value();
    }

    /** The callback id of the execution's {@code approval}, once it is recorded. */
    private static String callbackOf(String executionId) {
        return operationField(executionId, "CALLBACK", "callbackId");
    }

    private static String childOf(String executionId) {
        return operationField(executionId, "CHAINED_INVOKE", "childExecutionId");
    }

    private static String operationField(String executionId, String type, String field) {
        String[] found = new String[1];
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (JsonNode op : apiA.operations(executionId)) {
                if (op.get("type").asString().equals(type) && op.has(field)) {
                    found[0] = op.get(field).asString();
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }
}
