package dev.cairn.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.DurableCallback;
import dev.cairn.api.DurableFuture;
import dev.cairn.api.DurableHandler;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import java.time.Duration;
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
}
