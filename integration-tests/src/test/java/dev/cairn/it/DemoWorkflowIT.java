package dev.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.examples.demo.DemoWorkerApplication;
import dev.cairn.it.support.CairnApi;
import dev.cairn.it.support.Orchestrators;
import dev.cairn.it.support.Workers;
import dev.cairn.testing.TestDatabase;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** The seed article's demo workflow, end to end: start it, complete its callback over REST, see it finish. */
class DemoWorkflowIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static TestDatabase db;
    private static ConfigurableApplicationContext orchestrator;
    private static ConfigurableApplicationContext worker;
    private static CairnApi api;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(DemoWorkflowIT.class);
        orchestrator = Orchestrators.start(db, 0);
        api = new CairnApi(Orchestrators.url(orchestrator));
        worker = Workers.start(DemoWorkerApplication.class, Orchestrators.url(orchestrator));
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
    void theDemoWorkflowRunsEveryOperationAndFinishesAfterItsCallbackSucceeds() {
        String id = api.start("durable-example", "{\"input\":{\"inputData\":[\"alpha\",\"beta\",\"gamma\"]}}");

        String callbackId = awaitCallbackId(id);
        assertThat(callbackId).hasSizeGreaterThanOrEqualTo(22).doesNotContain(id);
        assertThat(api.execution(id).get("status").asText()).isEqualTo("RUNNING");

        CairnApi.Response sent = api.post("/v1/callbacks/" + callbackId + "/succeed", "{\"approvedBy\":\"ada\"}");
        assertThat(sent.status()).isEqualTo(200);
        assertThat(api.post("/v1/callbacks/" + callbackId + "/succeed", "{}").status()).isEqualTo(409);

        JsonNode done = api.awaitClosed(id, TIMEOUT);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        JsonNode result = done.get("result");
        assertThat(result.get("workItems").asInt()).isEqualTo(3);
        assertThat(result.get("callbackResult").get("approvedBy").asText()).isEqualTo("ada");
        assertThat(result.get("parallelResults")).hasSize(3);
        assertThat(result.get("processedItems")).hasSize(3);
        assertThat(result.get("readinessChecks").asInt()).isEqualTo(3);
        assertThat(result.get("helloWorld").asText()).isEqualTo("Hello, durable example (3 items)!");

        List<JsonNode> ops = api.operations(id);
        Map<String, JsonNode> byId = ops.stream().collect(Collectors.toMap(o -> o.get("id").asText(), Function.identity()));
        List<String> shape = ops.stream()
                .sorted(Comparator.comparing(o -> idKey(o.get("id").asText())))
                .map(o -> o.get("id").asText() + " " + text(o, "parentId") + " " + o.get("type").asText() + "/"
                        + o.get("subType").asText() + " " + o.get("name").asText() + " " + o.get("status").asText())
                .toList();
        assertThat(shape).containsExactly(
                "1  STEP/Step processInputData SUCCEEDED",
                "2  CONTEXT/WaitForCallback wait-for-external-callback SUCCEEDED",
                "2-1 2 CALLBACK/Callback wait-for-external-callback-callback SUCCEEDED",
                "2-2 2 STEP/Step wait-for-external-callback-submitter SUCCEEDED",
                "3  WAIT/Wait wait-5-seconds SUCCEEDED",
                "4  CONTEXT/Parallel parallel-tasks SUCCEEDED",
                "4-1 4 CONTEXT/ParallelBranch parallelTask1 SUCCEEDED",
                "4-1-1 4-1 STEP/Step parallelTask1 SUCCEEDED",
                "4-2 4 CONTEXT/ParallelBranch parallelTask2 SUCCEEDED",
                "4-2-1 4-2 STEP/Step parallelTask2 SUCCEEDED",
                "4-3 4 CONTEXT/ParallelBranch parallelTask3 SUCCEEDED",
                "4-3-1 4-3 STEP/Step parallelTask3 SUCCEEDED",
                "5  CONTEXT/Map process-work-items SUCCEEDED",
                "5-1 5 CONTEXT/MapIteration process-work-items-0 SUCCEEDED",
                "5-1-1 5-1 STEP/Step processItem-0 SUCCEEDED",
                "5-2 5 CONTEXT/MapIteration process-work-items-1 SUCCEEDED",
                "5-2-1 5-2 STEP/Step processItem-1 SUCCEEDED",
                "5-3 5 CONTEXT/MapIteration process-work-items-2 SUCCEEDED",
                "5-3-1 5-3 STEP/Step processItem-2 SUCCEEDED",
                "6  STEP/WaitForCondition wait-for-system-ready SUCCEEDED",
                "7  CHAINED_INVOKE/ChainedInvoke invoke-hello-world SUCCEEDED",
                "8  CONTEXT/RunInChildContext isolated-operations SUCCEEDED",
                "8-1 8 STEP/Step processMetadata SUCCEEDED",
                "8-2 8 STEP/Step validateConfiguration SUCCEEDED");
        assertThat(byId.get("6").get("attempt").asInt()).isEqualTo(3);
        assertThat(byId.get("6").get("result").get("ready").asBoolean()).isTrue();
        assertThat(byId.get("2-1").get("callbackId").asText()).isEqualTo(callbackId);
        String childId = byId.get("7").get("childExecutionId").asText();
        JsonNode child = api.execution(childId);
        assertThat(child.get("workflow").asText()).isEqualTo("hello-world");
        assertThat(child.get("parentExecutionId").asText()).isEqualTo(id);
        assertThat(child.get("status").asText()).isEqualTo("SUCCEEDED");

        Map<String, Long> events = api.history(id).stream()
                .collect(Collectors.groupingBy(e -> e.get("type").asText(), Collectors.counting()));
        assertThat(events).containsEntry("ExecutionStarted", 1L)
                .containsEntry("CallbackStarted", 1L)
                .containsEntry("CallbackSucceeded", 1L)
                .containsEntry("WaitStarted", 1L)
                .containsEntry("WaitSucceeded", 1L)
                .containsEntry("ChainedInvokeStarted", 1L)
                .containsEntry("ChainedInvokeSucceeded", 1L)
                .containsEntry("ExecutionSucceeded", 1L);
        // steps: processInputData, submitter, 3 parallel, 3 map, metadata, validation = 10, plus 3 condition polls
        assertThat(events.get("StepSucceeded")).isEqualTo(13L);
        // contexts: waitForCallback, parallel + 3 branches, map + 3 iterations, isolated-operations
        assertThat(events.get("ContextStarted")).isEqualTo(10L);
        assertThat(events.get("ContextSucceeded")).isEqualTo(10L);
        List<JsonNode> polls = api.history(id).stream()
                .filter(e -> "6".equals(text(e, "operationId")) && e.get("type").asText().equals("StepSucceeded"))
                .toList();
        assertThat(polls).extracting(e -> e.get("details").get("attempt").asInt()).containsExactly(1, 2, 3);
        assertThat(polls.get(0).get("details").get("nextAttemptAt")).isNotNull();
        assertThat(polls.get(2).get("details").get("state").get("ready").asBoolean()).isTrue();
    }

    @Test
    void callbackEndpointsRefuseUnknownIdsAndNonJsonBodies() {
        assertThat(api.post("/v1/callbacks/unknown-callback-id/succeed", "{}").status()).isEqualTo(404);
        assertThat(api.post("/v1/callbacks/unknown-callback-id/fail", "{\"type\":\"x\",\"message\":\"y\"}").status())
                .isEqualTo(404);
        assertThat(api.post("/v1/callbacks/unknown-callback-id/heartbeat", "{}").status()).isEqualTo(404);
    }

    private static String awaitCallbackId(String executionId) {
        String[] found = new String[1];
        await().atMost(TIMEOUT).until(() -> {
            for (JsonNode op : api.operations(executionId)) {
                if (op.get("type").asText().equals("CALLBACK") && op.hasNonNull("callbackId")) {
                    found[0] = op.get("callbackId").asText();
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** Sorts ids like 4-1-1 numerically part by part. */
    private static String idKey(String id) {
        StringBuilder key = new StringBuilder();
        for (String part : id.split("-")) {
            key.append(String.format("%05d.", Integer.parseInt(part)));
        }
        return key.toString();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
