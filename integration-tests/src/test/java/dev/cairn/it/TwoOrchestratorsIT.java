package dev.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.it.apps.SideEffects;
import dev.cairn.it.apps.counting.CountingWorkerApp;
import dev.cairn.it.support.CairnApi;
import dev.cairn.it.support.Orchestrators;
import dev.cairn.it.support.Workers;
import dev.cairn.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** Two orchestrator replicas on one database share the work without doing anything twice. */
class TwoOrchestratorsIT {

    private static final List<String> STEPS = List.of("one", "two", "three", "four", "five");

    @Test
    void twoHundredConcurrentExecutionsEachCompleteExactlyOnce() {
        SideEffects effects = new SideEffects();
        try (TestDatabase db = TestDatabase.create(TwoOrchestratorsIT.class)) {
            ConfigurableApplicationContext o1 = Orchestrators.start(db, 0);
            ConfigurableApplicationContext o2 = Orchestrators.start(db, 0);
            ConfigurableApplicationContext w1 = Workers.start(CountingWorkerApp.class, Orchestrators.url(o1), effects);
            ConfigurableApplicationContext w2 = Workers.start(CountingWorkerApp.class, Orchestrators.url(o2), effects);
            try {
                CairnApi api1 = new CairnApi(Orchestrators.url(o1));
                CairnApi api2 = new CairnApi(Orchestrators.url(o2));
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    int waitMillis = ThreadLocalRandom.current().nextInt(200, 1500);
                    ids.add((i % 2 == 0 ? api1 : api2).start("counted-order",
                            "{\"input\":{\"waitMillis\":" + waitMillis + "}}"));
                }

                for (int i = 0; i < ids.size(); i++) {
                    String id = ids.get(i);
                    CairnApi api = i % 2 == 0 ? api2 : api1; // read through the replica that did not start it
                    JsonNode done = api.awaitClosed(id, Duration.ofSeconds(120));
                    assertThat(done.get("status").asText()).as(id).isEqualTo("SUCCEEDED");
                    for (String step : STEPS) {
                        assertThat(effects.count(id, step)).as(id + " " + step).isEqualTo(1);
                    }
                    Map<String, Long> events = api.history(id).stream()
                            .collect(Collectors.groupingBy(e -> e.get("type").asText(), Collectors.counting()));
                    assertThat(events.get("ExecutionSucceeded")).as(id).isEqualTo(1L);
                    assertThat(events.get("WaitStarted")).as(id).isEqualTo(1L);
                    assertThat(events.get("WaitSucceeded")).as(id).isEqualTo(1L);
                    assertThat(events.get("StepSucceeded")).as(id).isEqualTo(5L);
                    assertThat(api.operations(id)).extracting(o -> o.get("status").asText()).containsOnly("SUCCEEDED");
                }

                // a checkpoint that does not carry the execution's current token is refused and changes nothing
                String last = ids.get(ids.size() - 1);
                List<JsonNode> before = api1.operations(last);
                CairnApi.Response stale = api1.post("/v1/invocations/checkpoints", """
                        {"executionId":"%s","invocationToken":"%s","updates":[{"id":"9","type":"STEP",
                         "subType":"Step","name":"intruder","action":"SUCCEED","attempt":1,"payload":"1"}]}
                        """.formatted(last, UUID.randomUUID()));
                assertThat(stale.status()).isEqualTo(409);
                assertThat(api1.operations(last)).hasSameSizeAs(before);
                Map<String, JsonNode> byId = api1.operations(last).stream()
                        .collect(Collectors.toMap(o -> o.get("id").asText(), Function.identity()));
                assertThat(byId).doesNotContainKey("9");
            } finally {
                w1.close();
                w2.close();
                o1.close();
                o2.close();
            }
        }
    }
}
