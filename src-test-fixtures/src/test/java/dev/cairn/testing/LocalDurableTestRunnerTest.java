package dev.cairn.testing;

import static dev.cairn.testing.CairnAssertions.assertThat;
import static dev.cairn.testing.ExecutionStatus.FAILED;
import static dev.cairn.testing.ExecutionStatus.RUNNING;
import static dev.cairn.testing.ExecutionStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.api.BatchResult;
import dev.cairn.api.Branch;
import dev.cairn.api.CallbackConfig;
import dev.cairn.api.CallbackTimeoutException;
import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;
import dev.cairn.api.ErrorInfo;
import dev.cairn.api.InvokeFailedException;
import dev.cairn.api.RetryStrategies;
import dev.cairn.api.StepConfig;
import dev.cairn.api.StepFailedException;
import dev.cairn.api.StepInterruptedException;
import dev.cairn.api.StepSemantics;
import dev.cairn.api.WaitForConditionConfig;
import dev.cairn.api.WaitStrategies;
import dev.cairn.protocol.OperationStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(CairnTestExtension.class)
class LocalDurableTestRunnerTest {

    @DurableWorkflow(name = "greeter")
    static final class Greeter implements DurableHandler<String, String> {
        @Override
        public String handle(String name, DurableContext ctx) {
            String greeting = ctx.step("greet", String.class, s -> "hello " + name);
            ctx.wait("pause", Duration.ofDays(3));
            return ctx.step("shout", String.class, s -> greeting.toUpperCase());
        }
    }

    @Test
    void runsStepsAndSkipsAThreeDayWait(@TestWorkflow(Greeter.class) LocalDurableTestRunner<String, String> runner) {
        TestResult<String> result = runner.run("ada");

        assertThat(result).hasStatus(SUCCEEDED).hasResult("HELLO ADA").hasOperationNames("greet", "pause", "shout")
                .operation("greet").succeeded().hasAttempts(1).hasResult("hello ada")
                .and().operation("pause").succeeded();
        assertThat(result).hasInvocations(2).hasHistoryEvent("WaitSucceeded");
        org.assertj.core.api.Assertions.assertThat(runner.clock().instant())
                .isEqualTo(LocalDurableTestRunner.DEFAULT_START.plus(Duration.ofDays(3)));
        org.assertj.core.api.Assertions.assertThat(result.operationAt(1).name()).isEqualTo("pause");
        org.assertj.core.api.Assertions.assertThat(result.operationById("3").name()).isEqualTo("shout");
    }

    @Test
    void retriesAStepOnVirtualTime() {
        AtomicInteger calls = new AtomicInteger();
        DurableHandler<Void, Integer> handler = (in, ctx) -> ctx.step("flaky", Integer.class, s -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet");
            }
            return s.attempt();
        }, StepConfig.defaults().withRetry(RetryStrategies.fixedDelay(5, Duration.ofMinutes(10))));
        try (var runner = LocalDurableTestRunner.create(handler, Void.class, Integer.class)) {
            TestResult<Integer> result = runner.run(null);

            assertThat(result).hasStatus(SUCCEEDED).hasResult(3).operation("flaky").succeeded().hasAttempts(3);
            org.assertj.core.api.Assertions.assertThat(result.history("StepFailed")).hasSize(2);
        }
    }

    @Test
    void aStepOutOfRetriesFailsTheExecution() {
        DurableHandler<Void, String> handler = (in, ctx) -> ctx.step("doomed", String.class, s -> {
            throw new IllegalArgumentException("bad input");
        }, StepConfig.defaults().withRetry(RetryStrategies.fixedDelay(2, Duration.ofSeconds(1))));
        try (var runner = LocalDurableTestRunner.create(handler, Void.class, String.class)) {
            assertThat(runner.run(null)).hasStatus(FAILED).hasErrorType(StepFailedException.class)
                    .operation("doomed").failed().hasAttempts(2).hasErrorType(IllegalArgumentException.class);
        }
    }

    static final class Approval implements DurableHandler<Void, String> {
        @Override
        public String handle(Void in, DurableContext ctx) {
            String answer = ctx.waitForCallback("approval", String.class, (id, s) -> { },
                    CallbackConfig.defaults().withTimeout(Duration.ofHours(1)));
            ctx.wait("cool-off", Duration.ofSeconds(5));
            return answer;
        }
    }

    @Test
    void stopsAtAnOpenCallbackAndResumesWhenTheTestCompletesIt() {
        try (var runner = LocalDurableTestRunner.create(new Approval())) {
            TestResult<String> waiting = runner.run(null);
            assertThat(waiting).hasStatus(RUNNING);
            org.assertj.core.api.Assertions.assertThat(waiting.waitingOn()).contains("approval-callback");

            runner.completeCallback("approval", "yes");
            assertThat(runner.resume()).hasStatus(SUCCEEDED).hasResult("yes")
                    .operation("approval").succeeded().child("approval-callback").succeeded();
        }
    }

    @Test
    void skipsACallbackTimeoutWhenRunningUntilComplete() {
        try (var runner = LocalDurableTestRunner.create(new Approval())) {
            assertThat(runner.runUntilComplete(null)).hasStatus(FAILED)
                    .hasErrorType(CallbackTimeoutException.class);
        }
    }

    @Test
    void failsAndTimesOutCallbacksOnRequest() {
        try (var runner = LocalDurableTestRunner.create(new Approval())) {
            runner.run(null);
            runner.failCallback("approval", new ErrorInfo("com.acme.Rejected", "no", null));
            assertThat(runner.resume()).hasStatus(FAILED).operation("approval-callback").failed();
        }
        try (var runner = LocalDurableTestRunner.create(new Approval())) {
            runner.run(null);
            runner.timeoutCallback("approval");
            assertThat(runner.resume()).hasStatus(FAILED).hasErrorType(CallbackTimeoutException.class);
        }
    }

    @Test
    void aHeartbeatKeepsACallbackOpen() {
        DurableHandler<Void, String> handler = (in, ctx) -> ctx.createCallback("job", String.class,
                CallbackConfig.defaults().withHeartbeatTimeout(Duration.ofMinutes(5))).get();
        try (var runner = LocalDurableTestRunner.create(handler, Void.class, String.class).withoutTimeSkipping()) {
            runner.run(null);
            runner.advanceTime(Duration.ofMinutes(4));
            runner.heartbeatCallback("job");
            assertThat(runner.advanceTime(Duration.ofMinutes(4))).hasStatus(RUNNING);
            assertThat(runner.advanceTime(Duration.ofMinutes(2))).hasStatus(FAILED)
                    .operation("job").hasStatus(OperationStatus.TIMED_OUT);
        }
    }

    @Test
    void stepsThroughTimeWithoutSkipping(@TestWorkflow(Greeter.class) LocalDurableTestRunner<String, String> runner) {
        runner.withoutTimeSkipping();
        assertThat(runner.run("bo")).hasStatus(RUNNING).operation("pause").hasStatus(OperationStatus.STARTED);
        assertThat(runner.advanceTime(Duration.ofDays(2))).hasStatus(RUNNING);
        assertThat(runner.advanceTime(Duration.ofDays(1))).hasStatus(SUCCEEDED).hasResult("HELLO BO");
    }

    @Test
    void pollsAConditionOnVirtualTime() {
        DurableHandler<Void, Integer> handler = (in, ctx) -> ctx.waitForCondition("poll", Integer.class,
                (n, s) -> n + 1, WaitForConditionConfig.of(0, WaitStrategies.fixedDelay(n -> n >= 4,
                        Duration.ofSeconds(3), 10)));
        try (var runner = LocalDurableTestRunner.create(handler, Void.class, Integer.class)) {
            assertThat(runner.run(null)).hasStatus(SUCCEEDED).hasResult(4).operation("poll").succeeded()
                    .hasAttempts(4);
        }
    }

    @Test
    void runsParallelBranchesMapItemsAndChildContexts() {
        DurableHandler<Void, Integer> handler = (in, ctx) -> {
            BatchResult<Integer> branches = ctx.parallel("fan", Integer.class, List.of(
                    Branch.of("a", c -> c.step("a1", Integer.class, s -> 1)),
                    Branch.of("b", c -> {
                        c.wait("b-wait", Duration.ofHours(1));
                        return 2;
                    })));
            BatchResult<Integer> squares = ctx.map("squares", List.of(1, 2, 3), Integer.class,
                    (c, item, i) -> c.step("square", Integer.class, s -> item * item));
            int child = ctx.runInChildContext("group", Integer.class, c -> c.step("inner", Integer.class, s -> 10));
            return branches.results().stream().mapToInt(Integer::intValue).sum()
                    + squares.results().stream().mapToInt(Integer::intValue).sum() + child;
        };
        try (var runner = LocalDurableTestRunner.create(handler, Void.class, Integer.class)) {
            TestResult<Integer> result = runner.run(null);
            assertThat(result).hasStatus(SUCCEEDED).hasResult(27)
                    .operation("fan").hasChildCount(2).child("b").succeeded()
                    .and().operation("squares").hasChildCount(3)
                    .and().operation("group").child("inner").hasResult(10);
        }
    }

    @DurableWorkflow(name = "doubler")
    static final class Doubler implements DurableHandler<Integer, Integer> {
        @Override
        public Integer handle(Integer n, DurableContext ctx) {
            ctx.wait("think", Duration.ofMinutes(1));
            return ctx.step("double", Integer.class, s -> n * 2);
        }
    }

    @Test
    void invokesRegisteredAndStubbedWorkflows() {
        DurableHandler<Integer, Integer> handler = (n, ctx) -> ctx.invoke("twice", "doubler", n, Integer.class)
                + ctx.invoke("price", "pricing", n, Integer.class);
        try (var runner = LocalDurableTestRunner.create(handler, Integer.class, Integer.class)
                .registerWorkflow("doubler", new Doubler())
                .stubInvoke("pricing", 100)) {
            TestResult<Integer> result = runner.run(21);
            assertThat(result).hasStatus(SUCCEEDED).hasResult(142).operation("twice").succeeded();
            org.assertj.core.api.Assertions.assertThat(result.operation("twice").childExecutionId()).isNotNull();
        }
        try (var runner = LocalDurableTestRunner.create(handler, Integer.class, Integer.class)
                .stubInvokeFailure("doubler", new ErrorInfo("com.acme.Down", "down", null))) {
            assertThat(runner.run(1)).hasStatus(FAILED).hasErrorType(InvokeFailedException.class)
                    .operation("twice").failed();
        }
        try (var runner = LocalDurableTestRunner.create(handler, Integer.class, Integer.class)) {
            assertThat(runner.run(1)).hasStatus(FAILED).operation("twice").failed()
                    .hasErrorType(InMemoryDurableStore.WORKFLOW_NOT_FOUND);
        }
    }

    @Test
    void reRunsAStepWhoseCheckpointWasLost() {
        AtomicInteger runs = new AtomicInteger();
        DurableHandler<Void, Integer> handler = (in, ctx) -> ctx.step("charge", Integer.class,
                s -> runs.incrementAndGet());
        try (var runner = LocalDurableTestRunner.create(handler, Void.class, Integer.class)
                .loseCheckpointOf("charge")) {
            assertThat(runner.run(null)).hasStatus(SUCCEEDED).hasResult(2).hasInvocations(2)
                    .operation("charge").hasAttempts(1);
            org.assertj.core.api.Assertions.assertThat(runs).hasValue(2);
            org.assertj.core.api.Assertions.assertThat(runner.crashes()).isEqualTo(1);
            assertThat(runner.result()).hasHistoryEvent("InvocationCompleted");
        }
    }

    @Test
    void anInterruptedAtMostOnceStepGoesToTheRetryStrategy() {
        AtomicInteger runs = new AtomicInteger();
        List<Throwable> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        DurableHandler<Void, Integer> handler = (in, ctx) -> ctx.step("pay", Integer.class,
                s -> runs.incrementAndGet(), StepConfig.defaults()
                        .withSemantics(StepSemantics.AT_MOST_ONCE_PER_RETRY)
                        .withRetry((error, attempt) -> {
                            seen.add(error);
                            return RetryStrategies.noRetry().decide(error, attempt);
                        }));
        try (var runner = LocalDurableTestRunner.create(handler, Void.class, Integer.class).interruptStep("pay")) {
            assertThat(runner.run(null)).hasStatus(FAILED).operation("pay").failed()
                    .hasErrorType(StepInterruptedException.class);
            org.assertj.core.api.Assertions.assertThat(seen).singleElement()
                    .isInstanceOf(StepInterruptedException.class);
            org.assertj.core.api.Assertions.assertThat(runs).hasValue(1);
        }
    }

    @Test
    void replaysAfterACrashAfterOperationN(@TestWorkflow(Greeter.class) LocalDurableTestRunner<String, String> r) {
        r.crashAfterOperations(1);
        assertThat(r.run("cy")).hasStatus(SUCCEEDED).hasResult("HELLO CY").hasOperationCount(3);
        org.assertj.core.api.Assertions.assertThat(r.crashes()).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThat(r.result().history("InvocationCompleted"))
                .anyMatch(e -> "LOST".equals(e.detail("outcome")));
    }

    @Test
    void refusesCallbacksThatAreNotOpen(@TestWorkflow(Greeter.class) LocalDurableTestRunner<String, String> runner) {
        runner.run("x");
        assertThatThrownBy(() -> runner.completeCallback("nope", 1)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("no open callback named 'nope'");
        assertThatThrownBy(() -> LocalDurableTestRunner.create(new Greeter()).resume())
                .isInstanceOf(IllegalStateException.class);
    }
}
