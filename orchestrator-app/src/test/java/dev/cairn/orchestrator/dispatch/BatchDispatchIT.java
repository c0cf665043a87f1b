package dev.cairn.orchestrator.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.orchestrator.support.Closing;
import dev.cairn.orchestrator.support.FakeWorker;
import dev.cairn.orchestrator.support.Http;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.orchestrator.support.Scripts;
import dev.cairn.orchestrator.worker.LiveWorker;
import dev.cairn.orchestrator.worker.WorkerStore;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one dispatcher pass claims for a worker that registered {@code invocationBatches} goes to it in one request
 * ({@code POST /cairn/invocations/batch}); each invocation is settled by its own result in the answer; a worker that
 * did not register it gets one request per invocation. Each test registers its worker and starts its executions
 * while the dispatcher is stopped (so no start knows of room to claim for), then starts the dispatcher: its first
 * pass claims them all at once.
 */
class BatchDispatchIT {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final Http http = new Http();
    private static TestDatabase db;
    private static RunningOrchestrator orchestrator;
    private static InvocationDispatcher dispatcher;
    private static final List<FakeWorker> workers = new ArrayList<>();

    @BeforeAll
    static void startOrchestrator() {
        db = TestDatabase.create(BatchDispatchIT.class);
        orchestrator = RunningOrchestrator.start(db, new MutableClock());
        dispatcher = orchestrator.context().getBean(InvocationDispatcher.class);
    }

    @BeforeEach
    void dispatcherStopped() {
        dispatcher.stop();
    }

    @AfterEach
    void dispatcherBack() {
        dispatcher.start();
    }

    @AfterAll
    static void stop() {
        workers.forEach(FakeWorker::close);
        Closing.all(orchestrator, db);
    }

    @Test
    void theExecutionsOnePassClaimsForAWorkerThatTakesBatchesGoInOneRequest() {
        FakeWorker worker = worker(FakeWorker.startTakingBatches("takes-batches", orchestrator.baseUrl(),
                new MutableClock(), 10, new WorkflowRef("batched", "1")).script("batched", Scripts.oneStep()));
        List<String> ids = startExecutions("batched", 5);

        dispatcher.start();

        for (String id : ids) {
            await().atMost(PATIENCE).until(() -> status(id).equals("SUCCEEDED"));
            assertThat(worker.received(id)).hasSize(1);
        }
        assertThat(worker.batchSizes()).as("one request for the five").containsExactly(5);
        assertThat(worker.singleRequests()).isZero();
        assertThat(orchestrator.context().getBean(WorkerStore.class).liveWorkers(Instant.EPOCH))
                .filteredOn(w -> w.workerId().equals("takes-batches")).singleElement()
                .extracting(LiveWorker::invocationBatches).isEqualTo(true);
    }

    @Test
    void anInvocationTheWorkerRefusesInsideABatchIsReleasedAndSentAgainWhileTheOthersRun() {
        FakeWorker worker = worker(FakeWorker.startTakingBatches("refuses-two", orchestrator.baseUrl(),
                new MutableClock(), 10, new WorkflowRef("partly-refused", "1"))
                .script("partly-refused", Scripts.oneStep())
                .refuse("partly-refused", 2));
        List<String> ids = startExecutions("partly-refused", 4);

        dispatcher.start();

        for (String id : ids) {
            await().atMost(PATIENCE).until(() -> status(id).equals("SUCCEEDED"));
        }
        assertThat(worker.batchSizes()).as("the first request carried all four").startsWith(4);
        assertThat(ids.stream().mapToInt(id -> worker.received(id).size()).sorted().toArray())
                .as("the two refused were sent again, once each; the others once")
                .containsExactly(1, 1, 2, 2);
    }

    @Test
    void aWorkerThatDidNotRegisterBatchesGetsOneRequestPerInvocation() {
        FakeWorker worker = worker(FakeWorker.start("one-at-a-time", orchestrator.baseUrl(), new MutableClock(), 10,
                new WorkflowRef("one-by-one", "1")).script("one-by-one", Scripts.oneStep()));
        List<String> ids = startExecutions("one-by-one", 3);
        assertThat(worker.received()).as("nothing is sent while the dispatcher is stopped").isEmpty();

        dispatcher.start();

        for (String id : ids) {
            await().atMost(PATIENCE).until(() -> status(id).equals("SUCCEEDED"));
        }
        assertThat(worker.singleRequests()).isEqualTo(3);
        assertThat(worker.batchSizes()).isEmpty();
    }

    @Test
    void aRegistrationWithoutTheFieldAsWorkersBeforeItSendIsAcceptedAsOneInvocationPerRequest() {
        Http.Response r = http.post(orchestrator.url("/v1/workers/register"), "application/json",
                "{\"workerId\":\"from-before\",\"endpoint\":\"http://127.0.0.1:9\",\"capacity\":2,"
                        + "\"workflows\":[{\"name\":\"older\",\"version\":\"1\"}]}");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(orchestrator.context().getBean(WorkerStore.class).liveWorkers(Instant.EPOCH))
                .filteredOn(w -> w.workerId().equals("from-before")).singleElement()
                .extracting(LiveWorker::invocationBatches).isEqualTo(false);
    }

    private static FakeWorker worker(FakeWorker worker) {
        workers.add(worker);
        return worker;
    }

    private static List<String> startExecutions(String workflow, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Http.Response r = http.post(orchestrator.url("/v1/workflows/" + workflow + "/executions"),
                    "application/json", "{\"version\":\"1\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            ids.add(r.json().get("executionId").asString());
        }
        return ids;
    }

    private static String status(String id) {
        return http.get(orchestrator.url("/v1/executions/" + id)).json().get("status").asString();
    }
}
