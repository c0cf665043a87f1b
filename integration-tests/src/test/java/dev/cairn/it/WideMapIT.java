package dev.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.it.apps.SideEffects;
import dev.cairn.it.apps.counting.CountingWorkerApp;
import dev.cairn.it.support.CairnApi;
import dev.cairn.it.support.Orchestrators;
import dev.cairn.it.support.Workers;
import dev.cairn.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** A map of 500 items, 20 at a time, each waiting a second: suspends and resumes many times, runs each step once. */
class WideMapIT {

    @Test
    void aMapOf500ItemsWithMaxConcurrency20CompletesRunningEachItemOnceAndNeverMoreThan20AtOnce() {
        SideEffects effects = new SideEffects();
        try (TestDatabase db = TestDatabase.create(WideMapIT.class)) {
            ConfigurableApplicationContext orchestrator = Orchestrators.start(db, 0);
            ConfigurableApplicationContext worker = Workers.start(CountingWorkerApp.class,
                    Orchestrators.url(orchestrator), effects);
            try {
                CairnApi api = new CairnApi(Orchestrators.url(orchestrator));
                String id = api.start("wide-map", "{\"input\":{\"items\":500,\"maxConcurrency\":20}}");
                JsonNode done = api.awaitClosed(id, Duration.ofSeconds(240));

                assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
                assertThat(done.get("result").asInt()).isEqualTo(2 * (499 * 500 / 2));
                for (int i = 0; i < 500; i++) {
                    assertThat(effects.count(id, "enter-" + i)).as("enter %d", i).isEqualTo(1);
                    assertThat(effects.count(id, "leave-" + i)).as("leave %d", i).isEqualTo(1);
                }
                assertThat(effects.maxActive()).isBetween(1, 20);
                List<JsonNode> ops = api.operations(id);
                assertThat(ops.stream().filter(o -> o.get("subType").asText().equals("MapIteration"))).hasSize(500);
                assertThat(ops).extracting(o -> o.get("status").asText()).containsOnly("SUCCEEDED");
            } finally {
                worker.close();
                orchestrator.close();
            }
        }
    }
}
