package dev.cairn.testing.postgres;

import static dev.cairn.testing.CairnAssertions.assertThat;
import static dev.cairn.testing.ExecutionStatus.SUCCEEDED;

import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;
import dev.cairn.api.RetryStrategies;
import dev.cairn.api.StepConfig;
import dev.cairn.testing.TestResult;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * A workflow author's test on the orchestrator's store: a step that fails twice and retries on its timer, a
 * three-day wait, and a last step, run by the real replay engine while the orchestrator's SQL records it.
 */
class PostgresTestRunnerTest {

    @DurableWorkflow(name = "greeter")
    static final class Greeter implements DurableHandler<String, String> {
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        public String handle(String name, DurableContext ctx) {
            String greeting = ctx.step("greet", String.class, s -> {
                if (calls.incrementAndGet() < 3) {
                    throw new IllegalStateException("not yet");
                }
                return "hello " + name;
            }, StepConfig.defaults().withRetry(RetryStrategies.fixedDelay(5, Duration.ofMinutes(10))));
            ctx.wait("pause", Duration.ofDays(3));
            return ctx.step("shout", String.class, s -> greeting.toUpperCase());
        }
    }

    @Test
    void runsAWorkflowToTheEndOnPostgres() {
        // snippet:start postgres-runner
        try (var runner = PostgresTestRunner.start(PostgresTestRunnerTest.class, new Greeter())) {
            TestResult<String> result = runner.runUntilComplete("ada");    // two retries and a 3-day wait

            assertThat(result).hasStatus(SUCCEEDED).hasResult("HELLO ADA")
                    .hasOperationNames("greet", "pause", "shout")
                    .hasHistoryEvent("WaitSucceeded")
                    .operation("greet").succeeded().hasAttempts(3).hasResult("hello ada")
                    .and().operation("pause").succeeded()
                    .and().operation("shout").succeeded().hasAttempts(1);
            Assertions.assertThat(result.history("StepFailed")).hasSize(2);
            Assertions.assertThat(result.operation("pause").endedAt())
                    .isEqualTo(result.operation("pause").startedAt().plus(Duration.ofDays(3)));
        }
        // snippet:end postgres-runner
    }
}
