package dev.cairn.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.Branch;
import dev.cairn.api.ChildFunction;
import dev.cairn.api.DurableCallback;
import dev.cairn.api.DurableFuture;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.RetryStrategies;
import dev.cairn.api.StepConfig;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.OperationUpdate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code anyOf} chose is recorded when it chooses and read back on replay, whatever the recorded end times of
 * its futures say.
 */
class AnyOfReplayTest {

    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close() throws InterruptedException {
        harness.close();
    }

    @Test
    void aStepThatWonLiveAgainstACallbackCompletedWhileItRanWinsOnReplay() {
        DurableHandler<Void, String> handler = (input, ctx) -> {
            DurableCallback<String> approval = ctx.createCallback("approval", String.class);
            DurableFuture<String> work = ctx.stepAsync("work", String.class, step -> {
                // the callback is completed from outside while the step runs; the step's success comes later
                harness.orchestrator.succeedCallback(approval.callbackId(), "\"approved\"");
                harness.clock.advance(Duration.ofSeconds(1));
                return "work";
            });
            Object winner = DurableFuture.anyOf(approval, work).get();
            String after = ctx.step("after-" + winner, String.class, step -> "went on with " + winner);
            ctx.wait("pause", Duration.ofSeconds(1));
            return after;
        };

        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.PENDING);
        OperationRecord callback = harness.orchestrator.operation("1");
        OperationRecord step = harness.orchestrator.operation("2");
        assertThat(callback.endedAt()).as("the callback's recorded end").isBefore(step.endedAt());
        harness.orchestrator.fireTimers();
        RunResult replayed = harness.invoke(handler);

        assertThat(replayed.error()).isNull();
        assertThat(replayed.result()).isEqualTo("\"went on with work\"");
    }

    @Test
    void theSecondOfTwoStepsEndedAtTheSameMomentWinsOnReplayWhenItWonLive() {
        CountDownLatch release = new CountDownLatch(1);
        DurableHandler<Void, String> handler = (input, ctx) -> {
            DurableFuture<String> slow = ctx.stepAsync("slow", String.class, step -> {
                release.await(10, TimeUnit.SECONDS);
                return "slow";
            });
            DurableFuture<String> fast = ctx.stepAsync("fast", String.class, step -> "fast");
            Object winner = DurableFuture.anyOf(slow, fast).get();
            release.countDown();
            slow.get();
            String after = ctx.step("after-" + winner, String.class, step -> "went on with " + winner);
            ctx.wait("pause", Duration.ofSeconds(1));
            return after;
        };

        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.PENDING);
        assertThat(harness.orchestrator.operation("1").endedAt()).as("both steps' recorded ends")
                .isEqualTo(harness.orchestrator.operation("2").endedAt());
        harness.orchestrator.fireTimers();
        RunResult replayed = harness.invoke(handler);

        assertThat(replayed.error()).isNull();
        assertThat(replayed.result()).isEqualTo("\"went on with fast\"");
    }

    @Test
    void theChoiceIsDurableBeforeTheCodeGetsTheWinner() {
        AtomicReference<OperationRecord> seen = new AtomicReference<>();
        DurableHandler<Void, Object> handler = (input, ctx) -> {
            DurableCallback<String> approval = ctx.createCallback("approval", String.class);
            DurableFuture<String> fallback = ctx.stepAsync("fallback", String.class, step -> "fallback");
            Object winner = DurableFuture.anyOf(approval, fallback).get();
            seen.set(harness.orchestrator.operation("choice-1"));
            return winner;
        };

        assertThat(harness.invoke(handler).result()).isEqualTo("\"fallback\"");

        OperationRecord choice = seen.get();
        assertThat(choice).isNotNull();
        assertThat(choice.parentId()).isNull();
        assertThat(choice.type()).isEqualTo(OperationType.STEP);
        assertThat(choice.subType()).isEqualTo("AnyOf");
        assertThat(choice.name()).isEqualTo("anyOf");
        assertThat(choice.status()).isEqualTo(OperationStatus.SUCCEEDED);
        assertThat(choice.result()).isEqualTo("1");
    }

    @Test
    void aLogRecordedBeforeChoicesWereReplaysByEndTimesAndRecordsTheChoiceThen() {
        DurableHandler<Void, String> handler = (input, ctx) -> {
            DurableFuture<String> first = ctx.stepAsync("first", String.class, step -> "first");
            Object winner = DurableFuture.anyOf(first).get();
            String after = ctx.step("after-" + winner, String.class, step -> "went on with " + winner);
            ctx.wait("pause", Duration.ofSeconds(1));
            return after;
        };
        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.PENDING);
        harness.orchestrator.forget("choice-1");
        harness.orchestrator.fireTimers();

        RunResult replayed = harness.invoke(handler);

        assertThat(replayed.result()).isEqualTo("\"went on with first\"");
        assertThat(harness.orchestrator.operations()).extracting(OperationRecord::id)
                .containsExactlyInAnyOrder("1", "2", "3", "choice-1");
        assertThat(harness.orchestrator.operation("choice-1").result()).isEqualTo("0");
    }

    @Test
    void aRecordedChoiceTheCodeCannotHaveMadeFailsTheExecutionAsNonDeterministic() {
        DurableHandler<Void, String> original = (input, ctx) -> {
            DurableFuture<String> a = ctx.stepAsync("a", String.class, step -> {
                throw new IllegalStateException("not yet");
            }, StepConfig.defaults().withRetry(RetryStrategies.fixedDelay(3, Duration.ofDays(1))));
            DurableFuture<String> b = ctx.stepAsync("b", String.class, step -> "b");
            Object winner = DurableFuture.anyOf(a, b).get();
            ctx.wait("pause", Duration.ofSeconds(1));
            return "went on with " + winner;
        };
        DurableHandler<Void, String> changed = (input, ctx) -> {
            DurableFuture<String> a = ctx.stepAsync("a", String.class, step -> "a");
            ctx.stepAsync("b", String.class, step -> "b");
            Object winner = DurableFuture.anyOf(a).get();
            ctx.wait("pause", Duration.ofSeconds(1));
            return "went on with " + winner;
        };
        assertThat(harness.invoke(original).outcome()).isEqualTo(RunOutcome.PENDING);
        assertThat(harness.orchestrator.operation("choice-1").result()).isEqualTo("1");
        harness.orchestrator.fireTimers();

        RunResult replayed = harness.invoke(changed);

        assertThat(replayed.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(replayed.error().type()).isEqualTo("dev.cairn.api.NonDeterministicExecutionException");
        assertThat(replayed.error().message()).startsWith("Operation choice-1: recorded STEP/AnyOf 'anyOf'")
                .contains("of 1 futures");
    }

    @Test
    void anAnyOfInsideAStepBodyIsPartOfTheStepsResultAndRecordsNoChoice() {
        DurableHandler<Void, Object> handler = (input, ctx) -> {
            DurableFuture<String> a = ctx.stepAsync("a", String.class, step -> "a");
            return ctx.step("pick", Object.class, step -> DurableFuture.anyOf(a).get());
        };

        assertThat(harness.invoke(handler).result()).isEqualTo("\"a\"");
        assertThat(harness.orchestrator.operations()).extracting(OperationRecord::id).containsExactly("1", "2");
    }

    @Test
    void branchesAskingOneAnyOfAtOnceGetOneWinnerRecordedOnce() {
        CountDownLatch bothAsking = new CountDownLatch(2);
        DurableHandler<Void, Object> handler = (input, ctx) -> {
            DurableFuture<String> a = ctx.stepAsync("a", String.class, step -> {
                assertThat(bothAsking.await(10, TimeUnit.SECONDS)).isTrue();
                return "a";
            });
            DurableFuture<String> b = ctx.stepAsync("b", String.class, step -> {
                assertThat(bothAsking.await(10, TimeUnit.SECONDS)).isTrue();
                return "b";
            });
            DurableFuture<Object> first = DurableFuture.anyOf(a, b);
            ChildFunction<Object> ask = branch -> {
                bothAsking.countDown();
                return first.get();
            };
            List<Object> winners = ctx.parallel("askers", Object.class,
                    List.of(Branch.of("x", ask), Branch.of("y", ask))).results();
            assertThat(winners).hasSize(2).containsOnly(first.get());
            return first.get();
        };

        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(harness.orchestrator.updates()).filteredOn(u -> u.id().equals("choice-1"))
                .extracting(OperationUpdate::action).containsExactly(OperationAction.START, OperationAction.SUCCEED);
    }
}
