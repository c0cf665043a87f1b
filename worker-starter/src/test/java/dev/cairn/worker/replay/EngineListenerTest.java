package dev.cairn.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.cairn.api.DurableHandler;
import dev.cairn.api.RetryStrategies;
import dev.cairn.api.StepConfig;
import dev.cairn.api.StepSemantics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineListenerTest {

    record StepEvent(String workflow, String operationId, StepOutcome outcome, Duration duration) {
    }

    record InvocationEvent(String workflow, String executionId, RunOutcome outcome, Duration duration) {
    }

    static final class Recording implements EngineListener {

        final List<StepEvent> steps = new CopyOnWriteArrayList<>();
        final List<InvocationEvent> invocations = new CopyOnWriteArrayList<>();

        @Override
        public void stepFinished(String workflow, String operationId, StepOutcome outcome, Duration duration) {
            steps.add(new StepEvent(workflow, operationId, outcome, duration));
        }

        @Override
        public void invocationFinished(String workflow, String executionId, RunOutcome outcome, Duration duration) {
            invocations.add(new InvocationEvent(workflow, executionId, outcome, duration));
        }
    }

    private final Recording listener = new Recording();
    private final EngineHarness harness = new EngineHarness(listener);

    @AfterEach
    void close() throws InterruptedException {
        harness.close();
    }

    @Test
    void tellsAboutStepBodiesThatRanButNotAboutReplayedOnes() {
        AtomicInteger runs = new AtomicInteger();
        DurableHandler<Void, String> handler = (input, ctx) -> {
            String slow = ctx.step("slow", String.class, step -> {
                runs.incrementAndGet();
                Thread.sleep(30);
                return "s";
            });
            ctx.wait("pause", Duration.ofSeconds(1));
            return slow + ctx.step("after", String.class, step -> "a");
        };

        RunResult first = harness.invoke(handler);
        harness.orchestrator.fireTimers();
        RunResult second = harness.invoke(handler);

        assertThat(List.of(first.outcome(), second.outcome())).containsExactly(RunOutcome.PENDING, RunOutcome.SUCCEEDED);
        assertThat(runs).hasValue(1);
        assertThat(listener.steps).extracting(StepEvent::workflow, StepEvent::operationId, StepEvent::outcome)
                .containsExactly(tuple("wf", "1", StepOutcome.SUCCEEDED), tuple("wf", "3", StepOutcome.SUCCEEDED));
        assertThat(listener.steps.get(0).duration()).isGreaterThanOrEqualTo(Duration.ofMillis(30));
        assertThat(listener.invocations).extracting(InvocationEvent::workflow, InvocationEvent::outcome)
                .containsExactly(tuple("wf", RunOutcome.PENDING), tuple("wf", RunOutcome.SUCCEEDED));
        assertThat(listener.invocations).allSatisfy(i -> {
            assertThat(i.executionId()).isEqualTo(harness.orchestrator.lastCompletion().executionId());
            assertThat(i.duration()).isPositive();
        });
    }

    @Test
    void tellsRetryForAnAttemptThatWillBeRetriedAndFailedWhenTheStrategyGivesUp() {
        DurableHandler<Void, String> handler = (input, ctx) -> ctx.step("flaky", String.class, step -> {
            throw new IllegalStateException("down " + step.attempt());
        }, StepConfig.defaults().withRetry(RetryStrategies.fixedDelay(2, Duration.ofSeconds(1))));

        RunResult first = harness.invoke(handler);
        harness.orchestrator.fireTimers();
        RunResult second = harness.invoke(handler);
        RunResult third = harness.invoke(handler);

        assertThat(List.of(first.outcome(), second.outcome(), third.outcome()))
                .containsExactly(RunOutcome.PENDING, RunOutcome.FAILED, RunOutcome.FAILED);
        assertThat(listener.steps).extracting(StepEvent::operationId, StepEvent::outcome)
                .as("the third invocation replays the recorded failure without running the body")
                .containsExactly(tuple("1", StepOutcome.RETRY), tuple("1", StepOutcome.FAILED));
        assertThat(listener.invocations).extracting(InvocationEvent::outcome)
                .containsExactly(RunOutcome.PENDING, RunOutcome.FAILED, RunOutcome.FAILED);
    }

    @Test
    void anInterruptedAtMostOnceAttemptFoundOnReplayIsNotAStepThatRan() {
        StepConfig atMostOnce = StepConfig.defaults().withSemantics(StepSemantics.AT_MOST_ONCE_PER_RETRY)
                .withRetry(RetryStrategies.noRetry());
        DurableHandler<Void, String> crashing = (input, ctx) -> ctx.step("once", String.class, step -> {
            throw new ProcessDied();
        }, atMostOnce);
        DurableHandler<Void, String> handler = (input, ctx) -> ctx.step("once", String.class, step -> "done",
                atMostOnce);

        assertThatThrownBy(() -> harness.invoke(crashing)).isInstanceOf(ProcessDied.class);
        RunResult replayed = harness.invoke(handler);

        assertThat(replayed.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(listener.steps).as("neither the crashed body nor the interrupted attempt has an outcome").isEmpty();
        assertThat(listener.invocations).extracting(InvocationEvent::outcome).containsExactly(RunOutcome.FAILED);
    }

    /** Stands for the worker process dying in the middle of a step body. */
    private static final class ProcessDied extends VirtualMachineError {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void aFailingListenerChangesNothing() throws InterruptedException {
        EngineListener broken = new EngineListener() {
            @Override
            public void stepFinished(String workflow, String operationId, StepOutcome outcome, Duration duration) {
                throw new IllegalStateException("broken listener");
            }

            @Override
            public void invocationFinished(String workflow, String executionId, RunOutcome outcome,
                    Duration duration) {
                throw new IllegalStateException("broken listener");
            }
        };
        Recording after = new Recording();
        try (EngineHarness withBroken = new EngineHarness(EngineListener.of(List.of(broken, after)))) {
            RunResult result = withBroken.invoke((Void input, dev.cairn.api.DurableContext ctx) ->
                    ctx.step("one", String.class, step -> "x"));

            assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(result.result()).isEqualTo("\"x\"");
            assertThat(after.steps).extracting(StepEvent::outcome).containsExactly(StepOutcome.SUCCEEDED);
            assertThat(after.invocations).extracting(InvocationEvent::outcome).containsExactly(RunOutcome.SUCCEEDED);
        }
        try (EngineHarness onlyBroken = new EngineHarness(broken)) {
            assertThat(onlyBroken.invoke((Void input, dev.cairn.api.DurableContext ctx) ->
                    ctx.step("one", String.class, step -> "x")).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        }
    }
}
