package dev.cairn.orchestrator.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cairn.orchestrator.execution.ExecutionService;
import dev.cairn.orchestrator.execution.StartRequest;
import dev.cairn.orchestrator.execution.StartResult;
import dev.cairn.orchestrator.ledger.Ledger;
import dev.cairn.orchestrator.ledger.NewExecution;
import dev.cairn.orchestrator.ledger.StartClaim;
import dev.cairn.orchestrator.ledger.Started;
import dev.cairn.orchestrator.support.Closing;
import dev.cairn.orchestrator.support.FakeWorker;
import dev.cairn.orchestrator.support.Http;
import dev.cairn.orchestrator.support.Ledgers;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.OpenTransaction;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.orchestrator.support.Scripts;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A start claims its execution for a worker with room and sends the first invocation itself, without the
 * dispatcher's claim; with no room, or with other executions of its workflow version waiting, it leaves the
 * execution ready for the dispatcher. Each test stops the dispatcher, so only the start can have sent anything.
 */
class StartClaimIT {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final MutableClock clock = new MutableClock();
    private static final Http http = new Http();
    private static final CountDownLatch release = new CountDownLatch(1);
    private static final ExecutorService requests = Executors.newCachedThreadPool();
    private static TestDatabase db;
    private static RunningOrchestrator orchestrator;
    private static InvocationDispatcher dispatcher;
    private static JdbcClient sql;
    private static FakeWorker roomy;
    private static FakeWorker single;

    @BeforeAll
    static void startOrchestratorAndWorkers() {
        db = TestDatabase.create(StartClaimIT.class);
        sql = JdbcClient.create(db.dataSource());
        orchestrator = RunningOrchestrator.start(db, clock);
        dispatcher = orchestrator.context().getBean(InvocationDispatcher.class);
        roomy = FakeWorker.start("roomy", orchestrator.baseUrl(), clock, 8, new WorkflowRef("quick", "1"),
                new WorkflowRef("queued", "1"));
        single = FakeWorker.start("single", orchestrator.baseUrl(), clock, 1, new WorkflowRef("held", "1"));
        roomy.script("quick", Scripts.oneStep()).script("queued", Scripts.oneStep());
        single.script("held", Scripts.heldUntil(release, PATIENCE, Scripts.oneStep()));
    }

    @AfterEach
    void dispatcherBack() {
        dispatcher.start();
    }

    @AfterAll
    static void stop() {
        release.countDown();
        requests.shutdownNow();
        Closing.all(roomy, single, orchestrator, db);
    }

    @Test
    void aStartWithAWorkerWithRoomSendsTheFirstInvocationItself() {
        stopDispatcherOnceItSawRoomFor("quick");

        String id = startExecution("quick");

        await().atMost(PATIENCE).until(() -> status(id).equals("SUCCEEDED"));
        assertThat(roomy.received(id)).hasSize(1);
        assertThat(roomy.received(id).get(0).operations()).isEmpty();
        assertThat(historyTypes(id)).containsExactly("ExecutionStarted", "StepStarted", "StepSucceeded",
                "InvocationCompleted", "ExecutionSucceeded");
    }

    @Test
    void whatWaitsForANewExecutionIsCalledAfterItsStartCommittedAndBeforeItsFirstInvocationIsSent() {
        stopDispatcherOnceItSawRoomFor("quick");
        ExecutionService service = orchestrator.context().getBean(ExecutionService.class);
        List<String> seen = new ArrayList<>();

        StartResult result = service.start("quick", StartRequest.of(JsonNodeFactory.instance.objectNode()),
                created -> {
                    String id = created.executionId().toString();
                    seen.add("committed and claimed, seen from another connection: " + lease(id).get("claimed"));
                    seen.add("invocations the worker received: " + roomy.received(id).size());
                });

        assertThat(result.created()).isTrue();
        assertThat(seen).containsExactly("committed and claimed, seen from another connection: true",
                "invocations the worker received: 0");
        String id = result.execution().executionId().toString();
        await().atMost(PATIENCE).until(() -> status(id).equals("SUCCEEDED"));
        assertThat(roomy.received(id)).hasSize(1);
    }

    @Test
    void aNewExecutionRunsAlsoWhenWhatWaitsForItFails() {
        // with the dispatcher stopped, only the start's own dispatch can run it
        stopDispatcherOnceItSawRoomFor("quick");
        ExecutionService service = orchestrator.context().getBean(ExecutionService.class);
        List<String> ids = new ArrayList<>();

        assertThatThrownBy(() -> service.start("quick", StartRequest.of(JsonNodeFactory.instance.objectNode()),
                created -> {
                    ids.add(created.executionId().toString());
                    throw new IllegalStateException("the caller's part failed");
                })).hasMessage("the caller's part failed");

        assertThat(ids).hasSize(1);
        await().atMost(PATIENCE).until(() -> status(ids.get(0)).equals("SUCCEEDED"));
    }

    @Test
    void aStartAnsweredAgainDoesNotCallWhatWaitsForANewExecution() {
        ExecutionService service = orchestrator.context().getBean(ExecutionService.class);
        StartRequest named = StartRequest.of(JsonNodeFactory.instance.objectNode()
                .put("executionName", "once-" + UUID.randomUUID()));
        List<UUID> called = new ArrayList<>();

        StartResult first = service.start("quick", named, created -> called.add(created.executionId()));
        StartResult again = service.start("quick", named, created -> called.add(created.executionId()));

        assertThat(again.created()).isFalse();
        assertThat(again.execution().executionId()).isEqualTo(first.execution().executionId());
        assertThat(called).containsExactly(first.execution().executionId());
    }

    @Test
    void aStartDoesNotOvertakeExecutionsOfItsVersionAlreadyWaiting() {
        stopDispatcherOnceItSawRoomFor("queued");
        UUID waiting = UUID.randomUUID();
        orchestrator.context().getBean(Ledger.class).start(new NewExecution(waiting, "queued", "1", null, null,
                clock.instant().truncatedTo(ChronoUnit.MICROS), null, 14, "{}"));

        String id = startExecution("queued");

        assertThat(lease(id)).containsEntry("claimed", false).containsEntry("ready", true);
        assertThat(roomy.received(id)).isEmpty();
        dispatcher.start();
        await().atMost(PATIENCE).until(() -> status(id).equals("SUCCEEDED")
                && status(waiting.toString()).equals("SUCCEEDED"));
    }

    @Test
    void aWorkerFullerThanTheDispatcherLastSawLeavesTheStartReady() {
        stopDispatcherOnceItSawRoomFor("held");
        String first = startExecution("held");
        await().atMost(PATIENCE).until(() -> single.received(first).size() == 1);

        // the dispatcher, stopped, still names the worker; its one place is taken, which the start's statement counts
        String second = startExecution("held");

        assertThat(lease(second)).containsEntry("claimed", false).containsEntry("ready", true);
        release.countDown();
        await().atMost(PATIENCE).until(() -> status(first).equals("SUCCEEDED"));
        assertThat(single.received(second)).isEmpty();
        dispatcher.start();
        await().atMost(PATIENCE).until(() -> status(second).equals("SUCCEEDED"));
    }

    @Test
    void aNamedStartSentTwiceIsSentToTheWorkerOnce() {
        stopDispatcherOnceItSawRoomFor("quick");
        String body = "{\"executionName\":\"only-once\"}";

        String id = startExecution("quick", body);
        String again = http.post(orchestrator.url("/v1/workflows/quick/executions"), "application/json", body)
                .json().get("executionId").asString();

        assertThat(again).isEqualTo(id);
        await().atMost(PATIENCE).until(() -> status(id).equals("SUCCEEDED"));
        assertThat(roomy.received(id)).hasSize(1);
    }

    /**
     * A start whose statement claimed the execution, held open, and the same named start sent again: the repeat waits
     * on the name, answers the execution the first stored, and sends nothing; the claim and the first invocation
     * belong to the start that stored it.
     */
    @Test
    void aStartSentAgainWhileTheFirstHoldsItsClaimAnswersTheSameExecutionAndSendsNothing() throws Exception {
        stopDispatcherOnceItSawRoomFor("quick");
        UUID id = UUID.randomUUID();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Future<Http.Response> again;
        try (OpenTransaction held = OpenTransaction.begin(db.dataSource())) {
            Started first = Ledgers.on(held.jdbc()).start(new NewExecution(id, "quick", "1", "held-start", null, now,
                    null, 14, "{}"), new StartClaim("roomy", 8, now.plus(Duration.ofMinutes(1))));
            assertThat(first.claim()).isNotNull();
            again = requests.submit(() -> startResponse("quick", "{\"executionName\":\"held-start\"}"));
            held.awaitBlocking("insert into executions (execution_id, workflow, version, execution_name");
            held.commit();
        }

        Http.Response answer = again.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("executionId").asString()).isEqualTo(id.toString());
        assertThat(lease(id.toString())).containsEntry("claimed", true).containsEntry("ready", false);
        assertThat(roomy.received(id.toString())).isEmpty();
    }

    private static void stopDispatcherOnceItSawRoomFor(String workflow) {
        await().atMost(PATIENCE).until(() -> dispatcher.workerWithRoom(new WorkflowRef(workflow, "1")).isPresent());
        dispatcher.stop();
    }

    private static String startExecution(String workflow) {
        return startExecution(workflow, "{}");
    }

    private static String startExecution(String workflow, String body) {
        Http.Response r = startResponse(workflow, body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("executionId").asString();
    }

    private static Http.Response startResponse(String workflow, String body) {
        return http.post(orchestrator.url("/v1/workflows/" + workflow + "/executions"), "application/json", body);
    }

    private static String status(String id) {
        return http.get(orchestrator.url("/v1/executions/" + id)).json().get("status").asString();
    }

    private static List<String> historyTypes(String id) {
        return sql.sql("select type from history_events where execution_id = ?::uuid order by event_id").param(id)
                .query(String.class).list();
    }

    private static Map<String, Object> lease(String id) {
        return sql.sql("select invocation_token is not null as claimed, ready_at is not null as ready"
                + " from executions where execution_id = ?::uuid").param(id).query().singleRow();
    }
}
