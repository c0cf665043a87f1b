package dev.cairn.testing.postgres;

import static dev.cairn.testing.CairnAssertions.assertThat;
import static dev.cairn.testing.ExecutionStatus.FAILED;
import static dev.cairn.testing.ExecutionStatus.RUNNING;
import static dev.cairn.testing.ExecutionStatus.SUCCEEDED;

import dev.cairn.api.CallbackConfig;
import dev.cairn.api.CallbackTimeoutException;
import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.LocalDurableTestRunner;
import dev.cairn.testing.TestDatabase;
import dev.cairn.testing.TestResult;
import dev.cairn.testing.VirtualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One orchestrator for the class, a runner per test ({@link PostgresTestRunner#on}): a run stops at an open
 * callback (its one-hour timeout is not jumped to), the test completes it, and the execution resumes to its end.
 */
class PostgresCallbackTest {

    @DurableWorkflow(name = "approval")
    static final class Approval implements DurableHandler<String, String> {
        @Override
        public String handle(String order, DurableContext ctx) {
            String answer = ctx.waitForCallback("approval", String.class, (id, s) -> { },
                    CallbackConfig.defaults().withTimeout(Duration.ofHours(1)));
            return ctx.step("decide", String.class, s -> order + ": " + answer);
        }
    }

    private static TestDatabase db;
    private static PostgresDurableStore store;

    @BeforeAll
    static void startOrchestrator() {
        db = TestDatabase.create(PostgresCallbackTest.class);
        store = PostgresDurableStore.start(db, new VirtualClock(LocalDurableTestRunner.DEFAULT_START),
                List.of(new WorkflowRef("approval", "1")));
    }

    @AfterAll
    static void stopOrchestrator() {
        if (store != null) {
            store.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void stopsAtTheOpenCallbackAndResumesOnceItIsCompleted() {
        try (var runner = PostgresTestRunner.on(store, new Approval())) {
            TestResult<String> waiting = runner.run("o-1");
            assertThat(waiting).hasStatus(RUNNING);
            org.assertj.core.api.Assertions.assertThat(waiting.waitingOn()).contains("approval-callback");

            runner.completeCallback("approval", "yes");

            assertThat(runner.resume()).hasStatus(SUCCEEDED).hasResult("o-1: yes")
                    .operation("approval").succeeded().child("approval-callback").succeeded()
                    .and().operation("decide").succeeded().hasAttempts(1);
        }
    }

    @Test
    void runUntilCompleteLetsTheCallbackTimeOut() {
        try (var runner = PostgresTestRunner.on(store, new Approval())) {
            TestResult<String> result = runner.runUntilComplete("o-2");

            assertThat(result).hasStatus(FAILED).hasErrorType(CallbackTimeoutException.class)
                    .operation("approval-callback").hasStatus(OperationStatus.TIMED_OUT);
        }
    }
}
