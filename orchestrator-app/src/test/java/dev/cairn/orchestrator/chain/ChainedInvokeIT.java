package dev.cairn.orchestrator.chain;

import static dev.cairn.orchestrator.support.Updates.callbackStart;
import static dev.cairn.orchestrator.support.Updates.invokeStart;
import static dev.cairn.orchestrator.support.Updates.stepRetry;
import static dev.cairn.orchestrator.support.Updates.stepStart;
import static dev.cairn.orchestrator.support.Updates.waitStart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.ErrorInfo;
import dev.cairn.orchestrator.checkpoint.CheckpointPlanner;
import dev.cairn.orchestrator.support.Api;
import dev.cairn.orchestrator.support.FakeWorker;
import dev.cairn.orchestrator.support.Http;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.WorkerRegistration;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Chained invokes (the child's creation, idempotent on replay, and its success, failure and timeout reaching the
 * parent), stopping executions with their chained children, and the workflow and worker lists.
 */
class ChainedInvokeIT {

    private static final MutableClock clock = new MutableClock();
    private static TestDatabase db;
    private static RunningOrchestrator orchestrator;
    private static FakeWorker worker;
    private static Api api;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(ChainedInvokeIT.class);
        orchestrator = RunningOrchestrator.start(db, clock);
        api = new Api(orchestrator, JdbcClient.create(db.dataSource()));
        worker = FakeWorker.start("fake-chain", orchestrator.baseUrl(), clock, 16, new WorkflowRef("parent", "1"),
                new WorkflowRef("child", "1"), new WorkflowRef("child", "2"), new WorkflowRef("child-fail", "1"),
                new WorkflowRef("child-idle", "1"));
        worker.script("parent", calls -> {
            JsonNode in = Http.JSON.readTree(calls.invocation().input());
            var start = invokeStart("1", "call", in.has("childInput") ? Http.JSON.writeValueAsString(
                    in.get("childInput")) : null, in.get("target").asString(),
                    in.hasNonNull("version") ? in.get("version").asString() : null,
                    in.hasNonNull("timeout") ? Duration.ofSeconds(in.get("timeout").asLong()) : null);
            OperationRecord op = calls.op("1").orElse(null);
            if (op == null) {
                if (in.path("viaCompletion").asBoolean()) {
                    calls.complete(InvocationOutcome.PENDING, null, null, start);
                } else {
                    calls.checkpoint(start);
                    calls.complete(InvocationOutcome.PENDING, null, null);
                }
                return;
            }
            if (in.path("resend").asBoolean() && op.status().isClosed()) {
                // a replay that sends its START again must neither start a second child nor reopen the operation
                calls.checkpoint(start);
            }
            switch (op.status()) {
                case SUCCEEDED -> calls.complete(InvocationOutcome.SUCCEEDED, op.result(), null);
                case FAILED -> calls.complete(InvocationOutcome.FAILED, null, op.error());
                case TIMED_OUT -> calls.complete(InvocationOutcome.SUCCEEDED, "\"child timed out\"", null);
                case STOPPED -> calls.complete(InvocationOutcome.SUCCEEDED, "\"child stopped\"", null);
                default -> calls.complete(InvocationOutcome.PENDING, null, null);
            }
        });
        worker.script("child", calls -> calls.complete(InvocationOutcome.SUCCEEDED,
                "{\"echo\":" + calls.invocation().input() + "}", null));
        worker.script("child-fail", calls -> calls.complete(InvocationOutcome.FAILED, null,
                new ErrorInfo("com.acme.Boom", "boom", "{\"code\":7}")));
        worker.script("child-idle", calls -> {
            if (calls.op("1").isEmpty()) {
                String later = "PT10H";
                calls.checkpoint(waitStart("1", "forever", calls.now().plus(Duration.parse(later))),
                        callbackStart("2", null, "cb", "cb-" + calls.invocation().executionId(), null, null),
                        stepStart("3", "flaky", 1),
                        stepRetry("3", "flaky", 1, "boom", calls.now().plus(Duration.parse(later))));
            }
            calls.complete(InvocationOutcome.PENDING, null, null);
        });
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aChildIsStartedOnceOnTheCurrentVersionAndItsResultReachesTheParent() {
        String parent = api.start("parent", "{\"input\":{\"target\":\"child\",\"childInput\":{\"x\":1},"
                + "\"resend\":true}}");

        JsonNode done = api.awaitStatus(parent, "SUCCEEDED");

        assertThat(done.get("result").get("echo").get("x").asInt()).isEqualTo(1);
        String child = CheckpointPlanner.childId(UUID.fromString(parent), "1").toString();
        JsonNode op = api.operation(parent, "1").orElseThrow();
        assertThat(op.get("type").asString()).isEqualTo("CHAINED_INVOKE");
        assertThat(op.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(op.get("childExecutionId").asString()).isEqualTo(child);
        assertThat(op.get("result").get("echo").get("x").asInt()).isEqualTo(1);
        JsonNode childExecution = api.get(child);
        assertThat(childExecution.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(childExecution.get("parentExecutionId").asString()).isEqualTo(parent);
        assertThat(childExecution.get("workflow").asString()).isEqualTo("child");
        assertThat(childExecution.get("version").asString()).isEqualTo("2");
        assertThat(childExecution.get("input").get("x").asInt()).isEqualTo(1);
        JsonNode childStarted = api.events(child, "ExecutionStarted").get(0).get("details");
        assertThat(childStarted.get("parentExecutionId").asString()).isEqualTo(parent);
        assertThat(childStarted.get("parentOperationId").asString()).isEqualTo("1");
        // the child may finish before the parent's first invocation reports itself waiting: the two orders are fine
        assertThat(api.historyTypes(parent)).containsSubsequence("ExecutionStarted", "ChainedInvokeStarted",
                "ChainedInvokeSucceeded", "InvocationCompleted", "ExecutionSucceeded");
        assertThat(api.historyTypes(parent)).filteredOn("InvocationCompleted"::equals).hasSize(2);
        JsonNode invoked = api.events(parent, "ChainedInvokeStarted").get(0).get("details");
        assertThat(invoked.get("childExecutionId").asString()).isEqualTo(child);
        assertThat(invoked.get("workflow").asString()).isEqualTo("child");
        assertThat(invoked.get("version").asString()).isEqualTo("2");
        assertThat(api.events(parent, "ChainedInvokeSucceeded").get(0).get("details").get("childExecutionId")
                .asString()).isEqualTo(child);
        assertThat(childrenOf(parent)).isEqualTo(1);
        assertThat(api.historyTypes(child)).containsExactly("ExecutionStarted", "InvocationCompleted",
                "ExecutionSucceeded");
    }

    @Test
    void aChildRunsOnTheRequestedVersionAlsoWhenItsStartCameWithTheCompletion() {
        String parent = api.start("parent", "{\"input\":{\"target\":\"child\",\"version\":\"1\","
                + "\"viaCompletion\":true}}");

        api.awaitStatus(parent, "SUCCEEDED");

        String child = CheckpointPlanner.childId(UUID.fromString(parent), "1").toString();
        assertThat(api.get(child).get("version").asString()).isEqualTo("1");
        assertThat(api.get(parent).get("result").get("echo").isNull()).isTrue();
    }

    @Test
    void aFailedChildFailsTheParentsOperationWithTheChildsError() {
        String parent = api.start("parent", "{\"input\":{\"target\":\"child-fail\"}}");

        JsonNode failed = api.awaitStatus(parent, "FAILED");

        String child = CheckpointPlanner.childId(UUID.fromString(parent), "1").toString();
        assertThat(api.get(child).get("status").asString()).isEqualTo("FAILED");
        JsonNode error = api.operation(parent, "1").orElseThrow().get("error");
        assertThat(error.get("type").asString()).isEqualTo("com.acme.Boom");
        assertThat(error.get("data").get("code").asInt()).isEqualTo(7);
        assertThat(failed.get("error").get("type").asString()).isEqualTo("com.acme.Boom");
        assertThat(api.events(parent, "ChainedInvokeFailed").get(0).get("details").get("error").get("message")
                .asString()).isEqualTo("boom");
        assertThat(worker.received(parent).get(1).operations().get(0).error().data()).isEqualTo("{\"code\":7}");
    }

    @Test
    void anInvokeOfAnUnknownWorkflowFailsAtOnceAndTheParentRunsOn() {
        String parent = api.start("parent", "{\"input\":{\"target\":\"no-such-workflow\"}}");

        JsonNode failed = api.awaitStatus(parent, "FAILED");

        JsonNode error = api.operation(parent, "1").orElseThrow().get("error");
        assertThat(error.get("type").asString()).isEqualTo(CheckpointPlanner.WORKFLOW_NOT_FOUND);
        assertThat(error.get("message").asString()).contains("'no-such-workflow'");
        assertThat(failed.get("error").get("type").asString()).isEqualTo(CheckpointPlanner.WORKFLOW_NOT_FOUND);
        assertThat(api.historyTypes(parent)).containsSubsequence("ChainedInvokeStarted", "ChainedInvokeFailed",
                "InvocationCompleted", "InvocationCompleted", "ExecutionFailed");
        assertThat(childrenOf(parent)).isZero();
    }

    @Test
    void aChildThatTimesOutTimesTheParentsOperationOut() {
        String parent = api.start("parent", "{\"input\":{\"target\":\"child-idle\",\"timeout\":60}}");
        String child = CheckpointPlanner.childId(UUID.fromString(parent), "1").toString();
        await().atMost(Api.PATIENCE).until(() -> childrenOf(parent) == 1);
        api.awaitIdleWith(child, "3", "PENDING");
        api.awaitIdleWith(parent, "1", "STARTED");
        assertThat(api.get(child).hasNonNull("timeoutAt")).isTrue();

        clock.advance(Duration.ofSeconds(61));

        assertThat(api.awaitStatus(parent, "SUCCEEDED").get("result").asString()).isEqualTo("child timed out");
        assertThat(api.get(child).get("status").asString()).isEqualTo("TIMED_OUT");
        assertThat(api.status(parent, "1")).isEqualTo("TIMED_OUT");
        assertThat(api.historyTypes(parent)).contains("ChainedInvokeTimedOut");
        assertThat(api.timerKinds(child)).isEmpty();
    }

    @Test
    void stoppingAParentStopsItsChildAndEndsTheirOpenOperations() {
        String parent = api.start("parent", "{\"input\":{\"target\":\"child-idle\"}}");
        String child = CheckpointPlanner.childId(UUID.fromString(parent), "1").toString();
        await().atMost(Api.PATIENCE).until(() -> childrenOf(parent) == 1);
        api.awaitIdleWith(child, "3", "PENDING");
        api.awaitIdleWith(parent, "1", "STARTED");
        String parentToken = worker.received(parent).get(0).invocationToken();

        Http.Response stopped = api.post("/v1/executions/" + parent + "/stop",
                "{\"error\":{\"type\":\"ops.Manual\",\"message\":\"enough\"}}");

        assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
        assertThat(stopped.json().get("status").asString()).isEqualTo("STOPPED");
        assertThat(stopped.json().get("error").get("type").asString()).isEqualTo("ops.Manual");
        assertThat(stopped.json().hasNonNull("endedAt")).isTrue();
        assertThat(api.get(child).get("status").asString()).isEqualTo("STOPPED");
        assertThat(api.status(parent, "1")).isEqualTo("STOPPED");
        assertThat(api.status(child, "1")).isEqualTo("CANCELLED");
        assertThat(api.status(child, "2")).isEqualTo("CANCELLED");
        assertThat(api.status(child, "3")).isEqualTo("STOPPED");
        assertThat(api.historyTypes(parent)).containsSubsequence("ChainedInvokeStarted", "ExecutionStopped")
                .contains("ChainedInvokeStopped");
        assertThat(api.events(parent, "ExecutionStopped").get(0).get("details").get("error").get("message")
                .asString()).isEqualTo("enough");
        assertThat(api.historyTypes(child)).contains("ExecutionStopped", "WaitCancelled");
        assertThat(api.timerKinds(parent)).isEmpty();
        assertThat(api.timerKinds(child)).isEmpty();
        assertThat(api.sql().sql("select count(*) from executions where execution_id in (?::uuid, ?::uuid)"
                + " and (ready_at is not null or invocation_token is not null)").param(parent).param(child)
                .query(Long.class).single()).isZero();

        Map<String, Object> before = api.snapshot(parent);
        Map<String, Object> childBefore = api.snapshot(child);
        // a stop sent again answers the stopped execution and writes nothing more
        Http.Response again = api.post("/v1/executions/" + parent + "/stop", "{}");
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("status").asString()).isEqualTo("STOPPED");
        assertThat(again.json().get("error").get("type").asString()).isEqualTo("ops.Manual");
        assertThat(again.json().get("endedAt")).isEqualTo(stopped.json().get("endedAt"));
        assertThat(api.post("/v1/executions/" + child + "/stop", "{}").status()).isEqualTo(200);
        assertThat(api.events(parent, "ExecutionStopped")).hasSize(1);
        assertThat(api.events(child, "ExecutionStopped")).hasSize(1);
        assertThat(api.post("/v1/callbacks/cb-" + child + "/succeed", "{}").status()).isEqualTo(409);
        assertThat(api.http().post(api.url("/v1/invocations/checkpoints"), new CheckpointRequest(parent, parentToken,
                List.of(stepStart("9", "late", 1)))).status()).isEqualTo(409);
        assertThat(api.snapshot(parent)).isEqualTo(before);
        assertThat(api.snapshot(child)).isEqualTo(childBefore);
        assertThat(api.post("/v1/executions/" + UUID.randomUUID() + "/stop", "{}").status()).isEqualTo(404);
        assertThat(api.post("/v1/executions/not-an-id/stop", "{}").status()).isEqualTo(404);
    }

    @Test
    void aChildStoppedOnItsOwnStopsTheParentsOperationAndTheParentRunsOn() {
        String parent = api.start("parent", "{\"input\":{\"target\":\"child-idle\"}}");
        String child = CheckpointPlanner.childId(UUID.fromString(parent), "1").toString();
        await().atMost(Api.PATIENCE).until(() -> childrenOf(parent) == 1);
        api.awaitIdleWith(child, "3", "PENDING");
        api.awaitIdleWith(parent, "1", "STARTED");

        Http.Response stopped = api.http().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(api.url("/v1/executions/" + child + "/stop")))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));

        assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
        assertThat(stopped.json().has("error")).isFalse();
        assertThat(api.awaitStatus(parent, "SUCCEEDED").get("result").asString()).isEqualTo("child stopped");
        assertThat(api.status(parent, "1")).isEqualTo("STOPPED");
        assertThat(api.historyTypes(parent)).containsSubsequence("ChainedInvokeStarted", "ChainedInvokeStopped",
                "InvocationCompleted", "ExecutionSucceeded");
        assertThat(worker.received(parent).get(1).operations().get(0).status().name()).isEqualTo("STOPPED");
    }

    @Test
    void listsWorkflowsWithTheirVersionsAndWorkersWithWhatTheyServe() {
        assertThat(api.http().post(api.url("/v1/workers/register"), new WorkerRegistration("ghost",
                "http://127.0.0.1:9", 2, List.of(new WorkflowRef("ghostly", "7")))).status()).isEqualTo(200);
        api.sql().sql("update workers set last_heartbeat_at = '2000-01-01T00:00:00Z' where worker_id = 'ghost'")
                .update();

        JsonNode workflows = api.http().get(api.url("/v1/workflows")).json().get("items");
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        workflows.forEach(w -> byName.put(w.get("name").asString(), w));
        assertThat(byName).containsKeys("parent", "child", "child-fail", "child-idle", "ghostly");
        assertThat(names(byName.get("child").get("versions"))).containsExactly("1", "2");
        assertThat(byName.get("child").get("currentVersion").asString()).isEqualTo("2");
        assertThat(byName.get("child").get("workers").asInt()).isEqualTo(1);
        assertThat(byName.get("ghostly").get("currentVersion").asString()).isEqualTo("7");
        assertThat(byName.get("ghostly").get("workers").asInt()).isZero();

        JsonNode firstPage = api.http().get(api.url("/v1/workflows?limit=2")).json();
        assertThat(firstPage.get("items").size()).isEqualTo(2);
        JsonNode secondPage = api.http().get(api.url("/v1/workflows?limit=2&pageToken="
                + firstPage.get("nextPageToken").asString())).json();
        assertThat(secondPage.get("items").get(0).get("name").asString())
                .isGreaterThan(firstPage.get("items").get(1).get("name").asString());

        JsonNode workers = api.http().get(api.url("/v1/workers")).json().get("items");
        assertThat(workers.size()).isEqualTo(2);
        JsonNode fake = workers.get(0);
        assertThat(fake.get("workerId").asString()).isEqualTo("fake-chain");
        assertThat(fake.get("endpoint").asString()).isEqualTo(worker.endpoint());
        assertThat(fake.get("capacity").asInt()).isEqualTo(16);
        assertThat(fake.get("status").asString()).isEqualTo("LIVE");
        assertThat(fake.hasNonNull("lastHeartbeatAt")).isTrue();
        assertThat(fake.has("inFlight")).isTrue();
        assertThat(fake.get("workflows").size()).isEqualTo(5);
        assertThat(fake.get("workflows").get(0).get("name").asString()).isEqualTo("child");
        assertThat(fake.get("workflows").get(0).get("version").asString()).isEqualTo("1");
        assertThat(workers.get(1).get("workerId").asString()).isEqualTo("ghost");
        assertThat(workers.get(1).get("status").asString()).isEqualTo("DEAD");
        assertThat(api.http().get(api.url("/v1/workers?limit=1")).json().has("nextPageToken")).isTrue();
        assertThat(api.http().get(api.url("/v1/workers?pageToken=bogus")).status()).isEqualTo(400);
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asString()));
        return names;
    }

    private static long childrenOf(String parent) {
        return api.sql().sql("select count(*) from executions where parent_execution_id = ?::uuid").param(parent)
                .query(Long.class).single();
    }
}
