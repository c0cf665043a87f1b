package dev.cairn.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.DurableFuture;
import dev.cairn.api.DurableHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FencingTest {

    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close() throws InterruptedException {
        harness.close();
    }

    @Test
    void aFencedCheckpointAbandonsTheInvocationWithoutWritingAnythingElse() {
        harness.orchestrator.fenceWhen(request -> true);
        AtomicInteger laterBodies = new AtomicInteger();
        DurableHandler<Void, String> handler = (input, ctx) -> {
            try {
                ctx.step("a", String.class, step -> "a");
            } catch (Exception e) {
                // workflow code cannot swallow the abandonment
            }
            ctx.step("b", String.class, step -> "b" + laterBodies.incrementAndGet());
            return "done";
        };

        RunResult result = harness.invoke(handler);

        assertThat(result.outcome()).isEqualTo(RunOutcome.FENCED);
        assertThat(laterBodies).hasValue(0);
        assertThat(harness.orchestrator.checkpoints()).isEmpty();
        assertThat(harness.orchestrator.completions()).isEmpty();
    }

    @Test
    void aFencedCheckpointUnwindsBranchesThatAreStillRunning() {
        CountDownLatch slowStarted = new CountDownLatch(1);
        AtomicBoolean slowInterrupted = new AtomicBoolean();
        harness.orchestrator.fenceWhen(request -> request.updates().get(0).name().equals("fast"));
        DurableHandler<Void, String> handler = (input, ctx) -> {
            DurableFuture<String> slow = ctx.stepAsync("slow", String.class, step -> {
                slowStarted.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    slowInterrupted.set(true);
                }
                return "slow";
            });
            DurableFuture<String> fast = ctx.stepAsync("fast", String.class, step -> {
                slowStarted.await(10, TimeUnit.SECONDS);
                return "fast";
            });
            DurableFuture.allOf(slow, fast).get();
            return "done";
        };

        RunResult result = harness.invoke(handler);

        assertThat(result.outcome()).isEqualTo(RunOutcome.FENCED);
        await().untilTrue(slowInterrupted);
        assertThat(harness.orchestrator.checkpoints()).isEmpty();
        assertThat(harness.orchestrator.completions()).isEmpty();
    }

    @Test
    void anAbortedInvocationStopsWritingAndUnwindsLikeACrashedProcess() throws Exception {
        CountDownLatch bodyStarted = new CountDownLatch(1);
        AtomicInteger stepsAfterAbort = new AtomicInteger();
        DurableHandler<Void, String> handler = (input, ctx) -> {
            ctx.step("first", String.class, step -> "recorded");
            ctx.step("blocking", String.class, step -> {
                bodyStarted.countDown();
                new CountDownLatch(1).await();
                return "never";
            });
            ctx.step("after", String.class, step -> "x" + stepsAfterAbort.incrementAndGet());
            return "done";
        };
        InvocationRun run = harness.engine.prepare(harness.orchestrator.nextInvocation(null),
                new WorkflowBinding("wf", "1", handler, Void.class, String.class));
        CompletableFuture<RunResult> result = CompletableFuture.supplyAsync(run::run, harness.executor);

        assertThat(bodyStarted.await(10, TimeUnit.SECONDS)).isTrue();
        run.abort();

        assertThat(result.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(RunOutcome.ABORTED);
        assertThat(stepsAfterAbort).hasValue(0);
        assertThat(harness.orchestrator.checkpoints()).hasSize(1);
        assertThat(harness.orchestrator.completions()).isEmpty();
    }
}
