package dev.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.it.support.Orchestrators;
import dev.cairn.it.support.WorkerJar;
import dev.cairn.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What docs/first-worker.md has a new user do: the first worker (examples/first-worker, whose sources the archetype
 * generates) runs as its own process from its Spring Boot jar with its own application.yml, registers with an
 * orchestrator, and its try-it.sh starts an execution, completes its callback and sees it succeed.
 */
class FirstWorkerIT {

    static final Path EXAMPLE = Path.of("../examples/first-worker");

    private static TestDatabase db;
    private static ConfigurableApplicationContext orchestrator;
    private static WorkerJar worker;

    @BeforeAll
    static void start() throws Exception {
        Path jar = EXAMPLE.resolve("target/first-worker-0.1.0-SNAPSHOT.jar");
        assertThat(jar).as("the first worker's jar: the reactor packages examples/first-worker before this module "
                + "(alone: ./mvnw -pl cairn-bom,examples/first-worker package -DskipTests)").exists();
        db = TestDatabase.create(FirstWorkerIT.class);
        orchestrator = Orchestrators.start(db, 0);
        worker = WorkerJar.start(jar, Orchestrators.url(orchestrator), "expense-approval");
    }

    @AfterAll
    static void stop() throws Exception {
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
    void tryItStartsAnExpenseApprovalCompletesItsCallbackAndSeesItSucceed() throws Exception {
        String output = worker.tryIt(EXAMPLE.resolve("try-it.sh"), Orchestrators.url(orchestrator));

        ExpenseApprovalOutput.assertSucceeded(output);
        assertThat(worker.log()).contains("awaits approval: callback");
    }
}
