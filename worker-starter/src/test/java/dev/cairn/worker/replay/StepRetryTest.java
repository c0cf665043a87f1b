package dev.cairn.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.cairn.api.DurableHandler;
import dev.cairn.api.ErrorInfo;
import dev.cairn.api.RetryDecision;
import dev.cairn.api.RetryStrategies;
import dev.cairn.api.StepConfig;
import dev.cairn.api.StepFailedException;
import dev.cairn.api.StepInterruptedException;
import dev.cairn.api.StepSemantics;
import dev.cairn.api.StepTimeoutException;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StepRetryTest {

    private static final StepConfig TWO_SECONDS_THREE_TIMES =
            StepConfig.defaults().withRetry(RetryStrategies.fixedDelay(3, Duration.ofSeconds(2)));

    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close() throws InterruptedException {
        harness.close();
    }

    @Test
    void aStepThatFailsTwiceThenSucceedsIsRetriedDurably() {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        DurableHandler<Void, String> handler = (input, ctx) -> ctx.step("flaky", String.class, step -> {
            attempts.add(step.attempt());
            if (step.attempt() < 3) {
                throw new IllegalStateException("down " + step.attempt());
            }
            return "ok";
        }, TWO_SECONDS_THREE_TIMES);

        RunResult first = harness.invoke(handler);
        harness.orchestrator.fireTimers();
        RunResult second = harness.invoke(handler);
        harness.orchestrator.fireTimers();
        RunResult third = harness.invoke(handler);

        assertThat(List.of(first.outcome(), second.outcome(), third.outcome()))
                .containsExactly(RunOutcome.PENDING, RunOutcome.PENDING, RunOutcome.SUCCEEDED);
        assertThat(attempts).containsExactly(1, 2, 3);
        assertThat(harness.orchestrator.updates())
                .filteredOn(u -> u.action() == OperationAction.RETRY)
                .extracting(u -> u.attempt(), u -> u.error().type(), u -> u.error().message(), u -> u.nextAttemptAt())
                .containsExactly(
                        tuple(1, IllegalStateException.class.getName(), "down 1", Instant.parse("2030-01-01T00:00:02Z")),
                        tuple(2, IllegalStateException.class.getName(), "down 2", Instant.parse("2030-01-01T00:00:02Z")));
        assertThat(harness.orchestrator.completions()).extracting(c -> c.outcome())
                .containsExactly(InvocationOutcome.PENDING, InvocationOutcome.PENDING, InvocationOutcome.SUCCEEDED);
        assertThat(third.result()).isEqualTo("\"ok\"");
        assertThat(harness.orchestrator.operation("1").attempt()).isEqualTo(3);
    }

    @Test
    void exhaustedRetriesThrowAStepFailedExceptionThatUserCodeMayCatch() {
        DurableHandler<Void, String> handler = (input, ctx) -> {
            try {
                ctx.step("charge", String.class, step -> {
                    throw new IllegalStateException("card declined");
                }, StepConfig.defaults().withRetry(RetryStrategies.noRetry()));
                return "charged";
            } catch (StepFailedException e) {
                return "compensated " + e.operationId() + " " + e.errorInfo().type() + " " + e.errorInfo().message();
            }
        };

        RunResult result = harness.invoke(handler);

        assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(result.result())
                .isEqualTo("\"compensated 1 java.lang.IllegalStateException card declined\"");
        assertThat(harness.orchestrator.operation("1").status()).isEqualTo(OperationStatus.FAILED);
    }

    @Test
    void anUncaughtStepFailureFailsTheExecutionWithTheRecordedCauseAsData() {
        DurableHandler<Void, String> handler = (input, ctx) -> ctx.step("charge", String.class, step -> {
            throw new IllegalStateException("card declined");
        }, StepConfig.defaults().withRetry(RetryStrategies.noRetry()));

        RunResult result = harness.invoke(handler);

        assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
        ErrorInfo error = harness.orchestrator.lastCompletion().error();
        assertThat(error.type()).isEqualTo("dev.cairn.api.StepFailedException");
        assertThat(error.message()).isEqualTo("Step 'charge' failed after attempt 1: card declined");
        assertThat(error.data()).contains("\"type\":\"java.lang.IllegalStateException\"")
                .contains("\"message\":\"card declined\"");
        assertThat(harness.orchestrator.operation("1").error())
                .isEqualTo(new ErrorInfo("java.lang.IllegalStateException", "card declined", null));
    }

    @Test
    void aRecordedFailureRethrowsOnReplayWithTheSameErrorInfo() {
        AtomicInteger bodies = new AtomicInteger();
        List<ErrorInfo> seen = new CopyOnWriteArrayList<>();
        DurableHandler<Void, String> handler = (input, ctx) -> {
            try {
                ctx.step("charge", String.class, step -> {
                    bodies.incrementAndGet();
                    throw new IllegalStateException("card declined");
                }, StepConfig.defaults().withRetry(RetryStrategies.noRetry()));
            } catch (StepFailedException e) {
                seen.add(e.errorInfo());
            }
            ctx.wait("pause", Duration.ofSeconds(1));
            return "done";
        };

        harness.invoke(handler);
        harness.orchestrator.fireTimers();
        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.SUCCEEDED);

        assertThat(bodies).hasValue(1);
        assertThat(seen).hasSize(2).allMatch(e -> e.equals(seen.get(0)));
    }

    @Test
    void atMostOnceRecordsTheStartBeforeRunningTheBody() {
        List<OperationStatus> seenInBody = new CopyOnWriteArrayList<>();
        DurableHandler<Void, String> handler = (input, ctx) -> ctx.step("send-email", String.class, step -> {
            seenInBody.add(harness.orchestrator.operation(step.operationId()).status());
            return "sent";
        }, StepConfig.defaults().withSemantics(StepSemantics.AT_MOST_ONCE_PER_RETRY));

        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.SUCCEEDED);

        assertThat(seenInBody).containsExactly(OperationStatus.STARTED);
        assertThat(harness.orchestrator.checkpoints()).extracting(c -> c.updates().size()).containsExactly(1, 1);
    }

    @Test
    void aStartedAtMostOnceStepFoundOnReplayGoesToTheRetryStrategyAsInterrupted() {
        List<Throwable> decided = new CopyOnWriteArrayList<>();
        AtomicInteger bodies = new AtomicInteger();
        StepConfig config = StepConfig.defaults().withSemantics(StepSemantics.AT_MOST_ONCE_PER_RETRY)
                .withRetry((error, attempt) -> {
                    decided.add(error);
                    return RetryDecision.retryAfter(Duration.ofSeconds(10));
                });
        DurableHandler<Void, String> crashing = (input, ctx) -> ctx.step("send-email", String.class, step -> {
            bodies.incrementAndGet();
            throw new ProcessDied();
        }, config);
        DurableHandler<Void, String> handler = (input, ctx) -> ctx.step("send-email", String.class, step -> {
            bodies.incrementAndGet();
            return "sent on attempt " + step.attempt();
        }, config);

        assertThat(runCatchingCrash(crashing)).isTrue();
        assertThat(harness.orchestrator.operation("1").status()).isEqualTo(OperationStatus.STARTED);

        RunResult replay = harness.invoke(handler);
        assertThat(replay.outcome()).isEqualTo(RunOutcome.PENDING);
        assertThat(decided).singleElement().isInstanceOf(StepInterruptedException.class);
        assertThat(bodies).hasValue(1);
        assertThat(harness.orchestrator.operation("1").status()).isEqualTo(OperationStatus.PENDING);
        assertThat(harness.orchestrator.operation("1").error().type())
                .isEqualTo(StepInterruptedException.class.getName());

        harness.orchestrator.fireTimers();
        RunResult last = harness.invoke(handler);
        assertThat(last.result()).isEqualTo("\"sent on attempt 2\"");
    }

    @Test
    void aStartedAtLeastOnceStepFoundOnReplayRunsTheSameAttemptAgain() {
        DurableHandler<Void, Integer> crashing = (input, ctx) -> ctx.step("charge", Integer.class, step -> {
            throw new ProcessDied();
        }, StepConfig.defaults().withSemantics(StepSemantics.AT_MOST_ONCE_PER_RETRY));
        runCatchingCrash(crashing);

        RunResult replay = harness.invoke((Void input, dev.cairn.api.DurableContext ctx) ->
                ctx.step("charge", Integer.class, step -> step.attempt()));

        assertThat(replay.result()).isEqualTo("1");
    }

    @Test
    void anAttemptThatRunsPastItsTimeoutGoesToTheRetryStrategyAsATimeout() {
        List<Throwable> decided = new CopyOnWriteArrayList<>();
        CountDownLatch never = new CountDownLatch(1);
        DurableHandler<Void, String> handler = (input, ctx) -> ctx.step("slow", String.class, step -> {
            never.await();
            return "late";
        }, StepConfig.defaults().withTimeout(Duration.ofMillis(50)).withRetry((error, attempt) -> {
            decided.add(error);
            return RetryDecision.fail();
        }));

        RunResult result = harness.invoke(handler);

        assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(decided).singleElement().isInstanceOf(StepTimeoutException.class);
        assertThat(harness.orchestrator.operation("1").error().type()).isEqualTo(StepTimeoutException.class.getName());
    }

    /** Runs a handler whose step body "kills the process": the engine lets the error through, like a crash. */
    private boolean runCatchingCrash(DurableHandler<Void, ?> handler) {
        try {
            harness.invoke(handler);
            return false;
        } catch (ProcessDied e) {
            return true;
        }
    }

    /** Stands for the worker process dying in the middle of a step body. */
    private static final class ProcessDied extends VirtualMachineError {
        private static final long serialVersionUID = 1L;
    }
}
