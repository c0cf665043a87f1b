package dev.cairn.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.Branch;
import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.NonDeterministicExecutionException;
import dev.cairn.api.WaitForConditionConfig;
import dev.cairn.api.WaitStrategies;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Non-determinism checks of callbacks, conditions, batches and chained invokes. */
class OperationNonDeterminismTest {

    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close() throws InterruptedException {
        harness.close();
    }

    private void record(DurableHandler<Void, ?> handler) {
        assertThat(harness.invoke(handler).outcome()).isIn(RunOutcome.PENDING, RunOutcome.SUCCEEDED);
    }

    private String failureOf(DurableHandler<Void, ?> handler) {
        RunResult result = harness.invoke(handler);
        assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(result.error().type()).isEqualTo(NonDeterministicExecutionException.class.getName());
        return result.error().message();
    }

    @Test
    void aRenamedCallback() {
        record((input, ctx) -> ctx.createCallback("approval", String.class).get());

        assertThat(failureOf((input, ctx) -> ctx.createCallback("consent", String.class).get()))
                .isEqualTo("Operation 1: recorded CALLBACK/Callback 'approval', code asked for CALLBACK/Callback 'consent'");
    }

    @Test
    void aCallbackReplacedByAStep() {
        record((input, ctx) -> ctx.createCallback("approval", String.class).get());

        assertThat(failureOf((input, ctx) -> ctx.step("approval", String.class, s -> "x")))
                .isEqualTo("Operation 1: recorded CALLBACK/Callback 'approval', code asked for STEP/Step 'approval'");
    }

    @Test
    void aWaitForCallbackReplacedByAChildContext() {
        record((input, ctx) -> ctx.waitForCallback("review", String.class, (id, s) -> { }));

        assertThat(failureOf((input, ctx) -> ctx.runInChildContext("review", String.class, c -> "x")))
                .isEqualTo("Operation 1: recorded CONTEXT/WaitForCallback 'review', "
                        + "code asked for CONTEXT/RunInChildContext 'review'");
    }

    @Test
    void aConditionReplacedByAPlainStep() {
        DurableHandler<Void, Integer> condition = (input, ctx) -> ctx.waitForCondition("poll", Integer.class,
                (n, s) -> n + 1, WaitForConditionConfig.of(0, WaitStrategies.fixedDelay(n -> false,
                        Duration.ofSeconds(1), 5)));
        record(condition);

        assertThat(failureOf((input, ctx) -> ctx.step("poll", Integer.class, s -> 1)))
                .isEqualTo("Operation 1: recorded STEP/WaitForCondition 'poll', code asked for STEP/Step 'poll'");
    }

    @Test
    void aRenamedInvoke() {
        record((input, ctx) -> ctx.invoke("ship", "shipping", "o-1", String.class));

        assertThat(failureOf((input, ctx) -> ctx.invoke("send", "shipping", "o-1", String.class)))
                .isEqualTo("Operation 1: recorded CHAINED_INVOKE/ChainedInvoke 'ship', "
                        + "code asked for CHAINED_INVOKE/ChainedInvoke 'send'");
    }

    @Test
    void aRenamedParallelBranch() {
        record((input, ctx) -> ctx.parallel("p", String.class, List.of(Branch.of("a", this::pause),
                Branch.of("b", this::pause))));

        assertThat(failureOf((input, ctx) -> ctx.parallel("p", String.class, List.of(Branch.of("a", this::pause),
                Branch.of("c", this::pause)))))
                .isEqualTo("Operation 1-2: recorded CONTEXT/ParallelBranch 'b', code asked for CONTEXT/ParallelBranch 'c'");
    }

    @Test
    void aParallelReplacedByAMap() {
        record((input, ctx) -> ctx.parallel("batch", String.class, List.of(Branch.of("a", this::pause))));

        assertThat(failureOf((input, ctx) -> ctx.map("batch", List.of(1), String.class,
                (c, item, index) -> pause(c))))
                .isEqualTo("Operation 1: recorded CONTEXT/Parallel 'batch', code asked for CONTEXT/Map 'batch'");
    }

    @Test
    void aMapOverFewerItems() {
        record((input, ctx) -> ctx.map("m", List.of(1, 2, 3), String.class, (c, item, index) -> pause(c)));

        assertThat(failureOf((input, ctx) -> ctx.map("m", List.of(1, 2), String.class,
                (c, item, index) -> pause(c))))
                .isEqualTo("Operation 1: recorded 3 MapIteration contexts, code asked for 2");
    }

    @Test
    void reorderedCallbackAndStep() {
        record((input, ctx) -> {
            ctx.step("prepare", String.class, s -> "x");
            return ctx.createCallback("approval", String.class).get();
        });

        assertThat(failureOf((input, ctx) -> {
            var callback = ctx.createCallback("approval", String.class);
            ctx.step("prepare", String.class, s -> "x");
            return callback.get();
        })).isEqualTo("Operation 1: recorded STEP/Step 'prepare', code asked for CALLBACK/Callback 'approval'");
    }

    private String pause(DurableContext ctx) {
        ctx.wait("pause", Duration.ofMinutes(1));
        return "paused";
    }
}
