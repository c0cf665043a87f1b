package dev.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.examples.demo.DemoWorkerApplication;
import dev.cairn.it.apps.SideEffects;
import dev.cairn.it.apps.changed.ChangedWorkerApp;
import dev.cairn.it.apps.counting.CountingWorkerApp;
import dev.cairn.it.support.CairnApi;
import dev.cairn.it.support.Orchestrators;
import dev.cairn.it.support.Workers;
import dev.cairn.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** One orchestrator and real worker apps over HTTP on a real PostgreSQL. */
class DurableCoreIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static TestDatabase db;
    private static ConfigurableApplicationContext orchestrator;
    private static ConfigurableApplicationContext demoWorker;
    private static ConfigurableApplicationContext countingWorker;
    private static final SideEffects effects = new SideEffects();
    private static CairnApi api;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(DurableCoreIT.class);
        orchestrator = Orchestrators.start(db, 0);
        String url = Orchestrators.url(orchestrator);
        api = new CairnApi(url);
        demoWorker = Workers.start(DemoWorkerApplication.class, url);
        countingWorker = Workers.start(CountingWorkerApp.class, url, effects);
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext ctx : new ConfigurableApplicationContext[] {countingWorker, demoWorker,
                orchestrator}) {
            if (ctx != null) {
                ctx.close();
            }
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theExampleWorkflowRunsThreeStepsWaitsAndFinishesWithAChildContext() {
        String id = api.start("order-fulfillment", """
                {"input":{"orderId":"A-100","customer":"ada@example.com","coolOffSeconds":1.5,
                          "lines":[{"sku":"cairn-mug","quantity":2,"unitPrice":12.50},
                                   {"sku":"trail-map","quantity":1,"unitPrice":7}]}}
                """);
        assertThat(api.execution(id).get("status").asText()).isEqualTo("RUNNING");

        JsonNode done = api.awaitClosed(id, TIMEOUT);
        assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode result = done.get("result");
        assertThat(result.get("orderId").asText()).isEqualTo("A-100");
        assertThat(result.get("units").asInt()).isEqualTo(3);
        assertThat(result.get("charged").decimalValue()).isEqualByComparingTo("32.00");
        assertThat(result.get("shipment").get("label").asText()).isEqualTo("LBL-A-100");

        List<JsonNode> ops = api.operations(id);
        assertThat(ops).extracting(o -> o.get("id").asText() + ":" + text(o, "parentId") + ":" + o.get("type").asText()
                + "/" + o.get("subType").asText() + ":" + o.get("name").asText() + ":" + o.get("status").asText())
                .containsExactly(
                        "1::STEP/Step:validate-order:SUCCEEDED",
                        "2::STEP/Step:reserve-inventory:SUCCEEDED",
                        "3::STEP/Step:charge-payment:SUCCEEDED",
                        "4::WAIT/Wait:cool-off:SUCCEEDED",
                        "5::CONTEXT/RunInChildContext:shipping:SUCCEEDED",
                        "5-1:5:STEP/Step:create-label:SUCCEEDED",
                        "5-2:5:STEP/Step:notify-customer:SUCCEEDED");
        JsonNode wait = ops.get(3);
        Instant scheduledEnd = Instant.parse(wait.get("scheduledEndAt").asText());
        assertThat(Instant.parse(wait.get("endedAt").asText())).isAfterOrEqualTo(scheduledEnd);
        assertThat(ops.get(0).get("attempt").asInt()).isEqualTo(1);
        assertThat(ops.get(5).get("result").asText()).isEqualTo("LBL-A-100");

        List<String> events = api.history(id).stream().map(e -> e.get("type").asText()).toList();
        assertThat(events.get(0)).isEqualTo("ExecutionStarted");
        assertThat(events).contains("WaitStarted", "WaitSucceeded", "ContextStarted", "ContextSucceeded",
                "ExecutionSucceeded");
        assertThat(events.stream().filter("StepSucceeded"::equals).count()).isEqualTo(5);
        assertThat(events.stream().filter("InvocationCompleted"::equals).count()).isGreaterThanOrEqualTo(2);
        assertThat(api.history(id)).extracting(e -> e.get("seq").asLong())
                .isSortedAccordingTo(Long::compare).startsWith(1L);
    }

    @Test
    void stepsThatCompletedBeforeAWaitDoNotRunAgainAfterIt() {
        String id = api.start("counted-order", "{\"input\":{\"waitMillis\":800}}");
        JsonNode done = api.awaitClosed(id, TIMEOUT);
        assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.get("result").get("steps").asText()).isEqualTo("one#1,two#1,three#1,four#1,five#1");
        for (String step : List.of("one", "two", "three", "four", "five")) {
            assertThat(effects.count(id, step)).as(step).isEqualTo(1);
        }
        // the wait suspended the execution: at least two invocations, the second one replayed steps one..three
        assertThat(api.history(id).stream().filter(e -> e.get("type").asText().equals("InvocationCompleted")))
                .hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aStepThatFailsTwiceIsRetriedAfterItsDurableDelayAndSucceedsOnTheThirdAttempt() {
        String id = api.start("flaky-step", "{}");
        JsonNode done = api.awaitClosed(id, TIMEOUT);
        assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.get("result").asText()).isEqualTo("ok after 3 attempts");
        assertThat(effects.count(id, "attempt")).isEqualTo(3);

        JsonNode step = api.operations(id).get(0);
        assertThat(step.get("attempt").asInt()).isEqualTo(3);
        assertThat(step.get("status").asText()).isEqualTo("SUCCEEDED");

        List<JsonNode> history = api.history(id);
        List<JsonNode> failed = history.stream().filter(e -> e.get("type").asText().equals("StepFailed")).toList();
        assertThat(failed).hasSize(2);
        assertThat(failed).extracting(e -> e.get("details").get("attempt").asInt()).containsExactly(1, 2);
        List<JsonNode> started = history.stream().filter(e -> e.get("type").asText().equals("StepStarted")).toList();
        assertThat(started).extracting(e -> e.get("details").get("attempt").asInt()).containsExactly(1, 2, 3);
        for (int i = 0; i < 2; i++) {
            Instant nextAttemptAt = Instant.parse(failed.get(i).get("details").get("nextAttemptAt").asText());
            Instant nextStart = Instant.parse(started.get(i + 1).get("timestamp").asText());
            assertThat(nextStart).as("attempt %d waited for its retry delay", i + 2).isAfterOrEqualTo(nextAttemptAt);
        }
        assertThat(history.stream().filter(e -> e.get("type").asText().equals("InvocationCompleted")))
                .hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void replayAgainstChangedCodeFailsTheExecutionWithTheNonDeterminismError() {
        String id = api.start("step-wait-step", "{\"input\":{\"waitMillis\":1500}}");
        await().atMost(TIMEOUT).until(() -> api.operations(id).stream()
                .anyMatch(o -> o.get("name").asText().equals("pause")));
        countingWorker.close();
        ConfigurableApplicationContext changed = Workers.start(ChangedWorkerApp.class, Orchestrators.url(orchestrator));
        try {
            JsonNode done = api.awaitClosed(id, TIMEOUT);
            assertThat(done.get("status").asText()).isEqualTo("FAILED");
            JsonNode error = done.get("error");
            assertThat(error.get("type").asText()).isEqualTo("dev.cairn.api.NonDeterministicExecutionException");
            assertThat(error.get("message").asText()).contains("1").contains("before").contains("before-renamed");
        } finally {
            changed.close();
            countingWorker = Workers.start(CountingWorkerApp.class, Orchestrators.url(orchestrator), effects);
        }
    }

    @Test
    void aStepThatWonAnyOfAgainstACallbackCompletedWhileItRanStillWinsOnReplay() throws Exception {
        String id = api.start("callback-or-step", "{}");
        await().atMost(TIMEOUT).until(() -> effects.count(id, "work-entered") == 1);
        String callbackId = api.operations(id).stream().filter(o -> o.get("name").asText().equals("approval"))
                .findFirst().orElseThrow().get("callbackId").asText();
        assertThat(api.post("/v1/callbacks/" + callbackId + "/succeed", "\"approved\"").status()).isEqualTo(200);
        effects.release(id);

        JsonNode done = api.awaitClosed(id, TIMEOUT);
        assertThat(done.get("status").asText()).as("%s", done).isEqualTo("SUCCEEDED");
        assertThat(done.get("result").asText()).isEqualTo("went on with work");
        List<JsonNode> ops = api.operations(id);
        JsonNode choice = ops.stream().filter(o -> o.get("id").asText().equals("choice-1")).findFirst().orElseThrow();
        assertThat(text(choice, "parentId") + ":" + choice.get("type").asText() + "/" + choice.get("subType").asText()
                + ":" + choice.get("name").asText() + ":" + choice.get("status").asText())
                .isEqualTo(":STEP/AnyOf:anyOf:SUCCEEDED");
        assertThat(choice.get("result").asInt()).isEqualTo(1);
        JsonNode callback = ops.stream().filter(o -> o.get("name").asText().equals("approval")).findFirst()
                .orElseThrow();
        JsonNode work = ops.stream().filter(o -> o.get("name").asText().equals("work")).findFirst().orElseThrow();
        assertThat(Instant.parse(callback.get("endedAt").asText()))
                .as("the callback's recorded end").isBefore(Instant.parse(work.get("endedAt").asText()));
        assertThat(api.history(id)).filteredOn(e -> "choice-1".equals(text(e, "operationId")))
                .extracting(e -> e.get("type").asText()).containsExactly("StepStarted", "StepSucceeded");

        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(Orchestrators.url(orchestrator) + "/console/executions/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"op-choice-1\"").contains("STEP/AnyOf");
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
