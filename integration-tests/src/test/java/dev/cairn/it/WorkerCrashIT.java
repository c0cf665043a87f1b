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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** A worker that goes away mid-execution: another worker finishes the execution, completed steps stay done. */
class WorkerCrashIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TestDatabase db;
    private ConfigurableApplicationContext orchestrator;
    private ConfigurableApplicationContext second;
    private final SideEffects effects = new SideEffects();
    private CairnApi api;

    @BeforeEach
    void start() {
        db = TestDatabase.create(WorkerCrashIT.class);
        orchestrator = Orchestrators.start(db, 0);
        api = new CairnApi(Orchestrators.url(orchestrator));
    }

    @AfterEach
    void stop() {
        effects.openGate();
        if (second != null) {
            second.close();
        }
        orchestrator.close();
        db.close();
    }

    @Test
    void aWorkerStoppedDuringAStepIsReplacedAndOnlyTheInterruptedStepRunsAgain() throws Exception {
        ConfigurableApplicationContext first = Workers.start(CountingWorkerApp.class, Orchestrators.url(orchestrator),
                effects);
        String id = api.start("gated-steps", "{}");
        assertThat(effects.awaitSomeoneAtGate()).isTrue();

        first.close();
        second = Workers.start(CountingWorkerApp.class, Orchestrators.url(orchestrator), effects);
        await().atMost(TIMEOUT).until(() -> effects.count(id, "gated-entered") == 2);
        effects.openGate();

        JsonNode done = api.awaitClosed(id, TIMEOUT);
        assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(effects.count(id, "before")).isEqualTo(1);
        assertThat(effects.count(id, "gated-entered")).isEqualTo(2);
        assertThat(effects.count(id, "after")).isEqualTo(1);
        assertThat(api.operations(id)).extracting(o -> o.get("status").asText()).containsOnly("SUCCEEDED");
        assertThat(api.history(id)).anySatisfy(e -> {
            assertThat(e.get("type").asText()).isEqualTo("InvocationCompleted");
            assertThat(e.get("details").get("outcome").asText()).isEqualTo("LOST");
        });
    }

    @Test
    void aWorkerStoppedDuringAWaitIsReplacedAndNoCompletedStepRunsAgain() {
        ConfigurableApplicationContext first = Workers.start(CountingWorkerApp.class, Orchestrators.url(orchestrator),
                effects);
        String id = api.start("step-wait-step", "{\"input\":{\"waitMillis\":2000}}");
        await().atMost(TIMEOUT).until(() -> api.operations(id).stream()
                .anyMatch(o -> o.get("name").asText().equals("pause")));

        first.close();
        second = Workers.start(CountingWorkerApp.class, Orchestrators.url(orchestrator), effects);

        JsonNode done = api.awaitClosed(id, TIMEOUT);
        assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(effects.count(id, "before")).isEqualTo(1);
        assertThat(effects.count(id, "after")).isEqualTo(1);
    }
}
