package dev.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.it.apps.SideEffects;
import dev.cairn.it.apps.counting.CountingWorkerApp;
import dev.cairn.it.support.CairnApi;
import dev.cairn.it.support.Orchestrators;
import dev.cairn.it.support.Workers;
import dev.cairn.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** The orchestrator restarts while executions wait on timers: every execution completes afterwards. */
class OrchestratorRestartIT {

    @Test
    void executionsWaitingOnTimersCompleteAfterTheOrchestratorRestarts() {
        SideEffects effects = new SideEffects();
        int port = Orchestrators.freePort();
        try (TestDatabase db = TestDatabase.create(OrchestratorRestartIT.class)) {
            ConfigurableApplicationContext orchestrator = Orchestrators.start(db, port);
            String url = Orchestrators.url(orchestrator);
            ConfigurableApplicationContext worker = Workers.start(CountingWorkerApp.class, url, effects);
            CairnApi api = new CairnApi(url);
            try {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    ids.add(api.start("step-wait-step", "{\"input\":{\"waitMillis\":" + (2500 + 100 * i) + "}}"));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id ->
                        api.operations(id).stream().anyMatch(o -> o.get("name").asText().equals("pause"))));

                orchestrator.close();
                orchestrator = Orchestrators.start(db, port);

                for (String id : ids) {
                    assertThat(api.awaitClosed(id, Duration.ofSeconds(60)).get("status").asText())
                            .isEqualTo("SUCCEEDED");
                    assertThat(effects.count(id, "before")).isEqualTo(1);
                    assertThat(effects.count(id, "after")).isEqualTo(1);
                    assertThat(api.history(id).stream().filter(e -> e.get("type").asText().equals("WaitSucceeded")))
                            .hasSize(1);
                }
            } finally {
                worker.close();
                orchestrator.close();
            }
        }
    }
}
