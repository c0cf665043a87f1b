package dev.cairn.examples.demo;

import static dev.cairn.testing.CairnAssertions.assertThat;

import dev.cairn.testing.ExecutionStatus;
import dev.cairn.testing.LocalDurableTestRunner;
import dev.cairn.testing.TestResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed demo workflow in virtual time: the 1-hour callback timeout, 5-second wait and 3-second polls take no time. */
class DurableExampleTest {

    @Test
    void runsEveryOperationAndFinishesOnceTheCallbackSucceeds() {
        var runner = LocalDurableTestRunner.create(new DurableExample())
                .registerWorkflow("hello-world", new HelloWorld());

        TestResult<DurableExample.Summary> waiting = runner.run(new DurableExample.Input(List.of("a", "b", "c")));
        assertThat(waiting).isRunning().operation("wait-for-external-callback").hasSubType("WaitForCallback");

        runner.completeCallback("wait-for-external-callback", Map.of("approvedBy", "ada"));
        TestResult<DurableExample.Summary> done = runner.resume();

        assertThat(done).hasStatus(ExecutionStatus.SUCCEEDED)
                .operation("wait-for-system-ready").succeeded().hasAttempts(3).and()
                .operation("parallel-tasks").hasChildCount(3).and()
                .operation("process-work-items").hasChildCount(3).and()
                .operation("invoke-hello-world").succeeded().and()
                .operation("isolated-operations").child("validateConfiguration").succeeded();
        org.assertj.core.api.Assertions.assertThat(done.result().helloWorld())
                .isEqualTo("Hello, durable example (3 items)!");
        org.assertj.core.api.Assertions.assertThat(done.result().readinessChecks()).isEqualTo(3);
    }
}
