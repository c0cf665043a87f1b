package dev.cairn.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.DurableFuture;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.RetryStrategies;
import dev.cairn.api.StepConfig;
import dev.cairn.api.StepFailedException;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationStatus;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close() throws InterruptedException {
        harness.close();
    }

    @Test
    void stepAsyncRunsConcurrentlyAndAllOfJoinsTheResults() {
        CountDownLatch bothRunning = new CountDownLatch(2);
        DurableHandler<Void, String> handler = (input, ctx) -> {
            DurableFuture<String> a = ctx.stepAsync("a", String.class, step -> meet(bothRunning, "A"));
            DurableFuture<String> b = ctx.stepAsync("b", String.class, step -> meet(bothRunning, "B"));
            DurableFuture.allOf(a, b).get();
            return a.get() + b.get();
        };

        RunResult result = harness.invoke(handler);

        assertThat(result.result()).isEqualTo("\"AB\"");
        assertThat(harness.orchestrator.operations()).extracting(op -> op.id()).containsExactlyInAnyOrder("1", "2");
    }

    @Test
    void allOfThrowsTheFailureOfTheFirstFailedFutureInArgumentOrder() {
        StepConfig noRetry = StepConfig.defaults().withRetry(RetryStrategies.noRetry());
        DurableHandler<Void, String> handler = (input, ctx) -> {
            DurableFuture<String> ok = ctx.stepAsync("ok", String.class, step -> "fine");
            DurableFuture<String> first = ctx.stepAsync("first", String.class, step -> {
                throw new IllegalStateException("first");
            }, noRetry);
            DurableFuture<String> second = ctx.stepAsync("second", String.class, step -> {
                throw new IllegalStateException("second");
            }, noRetry);
            try {
                DurableFuture.allOf(ok, first, second).get();
                return "no failure";
            } catch (StepFailedException e) {
                return e.operationId();
            }
        };

        assertThat(harness.invoke(handler).result()).isEqualTo("\"2\"");
    }

    @Test
    void anyOfCompletesWithWhicheverFutureCompletesFirst() {
        CountDownLatch release = new CountDownLatch(1);
        DurableHandler<Void, Object> handler = (input, ctx) -> {
            DurableFuture<String> slow = ctx.stepAsync("slow", String.class, step -> {
                release.await();
                return "slow";
            });
            DurableFuture<String> fast = ctx.stepAsync("fast", String.class, step -> "fast");
            Object winner = DurableFuture.anyOf(slow, fast).get();
            release.countDown();
            slow.get();
            return winner;
        };

        assertThat(harness.invoke(handler).result()).isEqualTo("\"fast\"");
    }

    @Test
    void aBranchWaitingForARetryDoesNotSuspendTheInvocationWhileAnotherBranchKeepsGoing() {
        CountDownLatch flakyFailed = new CountDownLatch(1);
        AtomicInteger flakyAttempts = new AtomicInteger();
        AtomicInteger slowRuns = new AtomicInteger();
        StepConfig retryLater = StepConfig.defaults().withRetry(RetryStrategies.fixedDelay(3, Duration.ofSeconds(30)));
        DurableHandler<Void, String> handler = (input, ctx) -> {
            DurableFuture<String> flaky = ctx.stepAsync("flaky", String.class, step -> {
                if (flakyAttempts.incrementAndGet() == 1) {
                    flakyFailed.countDown();
                    throw new IllegalStateException("not yet");
                }
                return "flaky-ok";
            }, retryLater);
            DurableFuture<String> slow = ctx.stepAsync("slow", String.class, step -> {
                assertThat(flakyFailed.await(10, TimeUnit.SECONDS)).isTrue();
                slowRuns.incrementAndGet();
                return "slow-ok";
            });
            String mid = ctx.step("mid", String.class, step -> "mid-ok");
            DurableFuture.allOf(flaky, slow).get();
            return flaky.get() + "," + slow.get() + "," + mid;
        };

        RunResult first = harness.invoke(handler);

        assertThat(first.outcome()).isEqualTo(RunOutcome.PENDING);
        assertThat(harness.orchestrator.operation("1").status()).isEqualTo(OperationStatus.PENDING);
        assertThat(harness.orchestrator.operation("2").status()).isEqualTo(OperationStatus.SUCCEEDED);
        assertThat(harness.orchestrator.operation("3").status()).isEqualTo(OperationStatus.SUCCEEDED);
        assertThat(harness.orchestrator.completions()).hasSize(1);
        assertThat(harness.orchestrator.updates()).filteredOn(u -> u.action() == OperationAction.RETRY).hasSize(1);

        harness.orchestrator.fireTimers();
        RunResult second = harness.invoke(handler);

        assertThat(second.result()).isEqualTo("\"flaky-ok,slow-ok,mid-ok\"");
        assertThat(flakyAttempts).hasValue(2);
        assertThat(slowRuns).hasValue(1);
    }

    @Test
    void concurrentCheckpointsTravelTogetherWhileARequestIsInFlight() {
        int branches = 8;
        CountDownLatch allFinished = new CountDownLatch(branches);
        DurableHandler<Void, Integer> handler = (input, ctx) -> {
            DurableFuture<?>[] futures = new DurableFuture<?>[branches];
            for (int i = 0; i < branches; i++) {
                int n = i;
                futures[i] = ctx.stepAsync("s" + i, Integer.class, step -> {
                    allFinished.countDown();
                    allFinished.await(10, TimeUnit.SECONDS);
                    return n;
                });
            }
            DurableFuture.allOf(futures).get();
            return branches;
        };

        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.SUCCEEDED);

        assertThat(harness.orchestrator.updates()).hasSize(2 * branches);
        assertThat(harness.orchestrator.checkpoints()).hasSizeLessThanOrEqualTo(branches);
        assertThat(harness.orchestrator.checkpoints()).allSatisfy(c -> assertThat(c.updates().size() % 2).isZero());
    }

    private static String meet(CountDownLatch latch, String value) throws InterruptedException {
        latch.countDown();
        assertThat(latch.await(10, TimeUnit.SECONDS)).as("both branches run at once").isTrue();
        return value;
    }
}
