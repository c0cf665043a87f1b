package dev.cairn.orchestrator.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.orchestrator.support.Closing;
import dev.cairn.orchestrator.support.FakeWorker;
import dev.cairn.orchestrator.support.Http;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.orchestrator.support.Scripts;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.TestDatabase;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A full worker's room freed by an invocation that ended wakes the dispatcher: with polling an hour apart, an
 * execution that waits for room runs only if the ended invocation woke it.
 */
class FreedCapacityIT {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final Http http = new Http();
    private static final CountDownLatch release = new CountDownLatch(1);
    private static TestDatabase db;
    private static RunningOrchestrator orchestrator;
    private static FakeWorker worker;

    @BeforeAll
    static void startOrchestratorAndWorker() {
        db = TestDatabase.create(FreedCapacityIT.class);
        orchestrator = RunningOrchestrator.start(db, new MutableClock(),
                "cairn.orchestrator.dispatch-poll-interval=1h");
        worker = FakeWorker.start("only-one-at-a-time", orchestrator.baseUrl(), new MutableClock(), 1,
                new WorkflowRef("held", "1"));
        worker.script("held", Scripts.heldUntil(release, PATIENCE, Scripts.oneStep()));
    }

    @AfterAll
    static void stop() {
        Closing.all(worker, orchestrator, db);
    }

    @Test
    void anExecutionWaitingForAFullWorkerRunsWhenTheWorkersInvocationEnds() {
        String first = startExecution();
        await().atMost(PATIENCE).until(() -> worker.received(first).size() == 1);
        String second = startExecution();
        // the start's pass found the only worker full: the second waits for its room
        await().pollDelay(Duration.ofMillis(300)).atMost(PATIENCE).until(() -> status(second).equals("RUNNING"));
        assertThat(worker.received(second)).isEmpty();

        release.countDown();

        await().atMost(PATIENCE).until(() -> status(first).equals("SUCCEEDED"));
        await().atMost(PATIENCE).until(() -> status(second).equals("SUCCEEDED"));
        assertThat(worker.received(second)).hasSize(1);
    }

    private static String startExecution() {
        Http.Response r = http.post(orchestrator.url("/v1/workflows/held/executions"), "application/json", "{}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("executionId").asString();
    }

    private static String status(String id) {
        return http.get(orchestrator.url("/v1/executions/" + id)).json().get("status").asString();
    }
}
