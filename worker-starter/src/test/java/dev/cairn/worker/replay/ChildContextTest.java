package dev.cairn.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.cairn.api.ChildContextFailedException;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.ErrorInfo;
import dev.cairn.api.RetryStrategies;
import dev.cairn.api.StepConfig;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChildContextTest {

    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close() throws InterruptedException {
        harness.close();
    }

    @Test
    void operationsInsideAChildContextTakeIdsUnderTheContextsId() {
        DurableHandler<Void, Integer> handler = (input, ctx) -> {
            ctx.step("first", Integer.class, step -> 1);
            int sum = ctx.runInChildContext("group", Integer.class, child ->
                    child.step("a", Integer.class, step -> 2) + child.step("b", Integer.class, step -> 3));
            return sum + ctx.step("last", Integer.class, step -> 4);
        };

        RunResult result = harness.invoke(handler);

        assertThat(result.result()).isEqualTo("9");
        assertThat(harness.orchestrator.operations())
                .extracting(op -> op.id(), op -> op.parentId(), op -> op.type(), op -> op.subType(), op -> op.status())
                .containsExactly(
                        tuple("1", null, OperationType.STEP, "Step", OperationStatus.SUCCEEDED),
                        tuple("2", null, OperationType.CONTEXT, "RunInChildContext", OperationStatus.SUCCEEDED),
                        tuple("2-1", "2", OperationType.STEP, "Step", OperationStatus.SUCCEEDED),
                        tuple("2-2", "2", OperationType.STEP, "Step", OperationStatus.SUCCEEDED),
                        tuple("3", null, OperationType.STEP, "Step", OperationStatus.SUCCEEDED));
        assertThat(harness.orchestrator.operation("2").result()).isEqualTo("5");
    }

    @Test
    void aCompletedChildContextReturnsItsResultWithoutRunningItsChildrenAgain() {
        AtomicInteger childRuns = new AtomicInteger();
        AtomicInteger bodies = new AtomicInteger();
        DurableHandler<Void, List<String>> handler = (input, ctx) -> {
            List<String> items = ctx.runInChildContext("group", new dev.cairn.api.TypeRef<List<String>>() {
            }, child -> {
                childRuns.incrementAndGet();
                return List.of(child.step("a", String.class, step -> "a" + bodies.incrementAndGet()));
            });
            ctx.wait("pause", Duration.ofSeconds(1));
            return items;
        };

        harness.invoke(handler);
        harness.orchestrator.fireTimers();
        RunResult replay = harness.invoke(handler);

        assertThat(replay.result()).isEqualTo("[\"a1\"]");
        assertThat(childRuns).hasValue(1);
        assertThat(bodies).hasValue(1);
    }

    @Test
    void aStartedChildContextReplaysItsChildrenAndGoesOn() {
        AtomicInteger bodies = new AtomicInteger();
        DurableHandler<Void, String> handler = (input, ctx) -> ctx.runInChildContext("group", String.class, child -> {
            String a = child.step("a", String.class, step -> "a" + bodies.incrementAndGet());
            child.wait("pause", Duration.ofSeconds(1));
            return a + child.step("b", String.class, step -> "b" + bodies.incrementAndGet());
        });

        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.PENDING);
        harness.orchestrator.fireTimers();
        RunResult replay = harness.invoke(handler);

        assertThat(replay.result()).isEqualTo("\"a1b2\"");
        assertThat(harness.orchestrator.operation("1-2").type()).isEqualTo(OperationType.WAIT);
    }

    @Test
    void aFailingChildContextIsRecordedAndRethrownTheSameOnReplay() {
        List<ErrorInfo> seen = new CopyOnWriteArrayList<>();
        AtomicInteger childRuns = new AtomicInteger();
        DurableHandler<Void, String> handler = (input, ctx) -> {
            try {
                ctx.runInChildContext("group", String.class, child -> {
                    childRuns.incrementAndGet();
                    return child.step("a", String.class, step -> {
                        throw new IllegalStateException("boom");
                    }, StepConfig.defaults().withRetry(RetryStrategies.noRetry()));
                });
            } catch (ChildContextFailedException e) {
                seen.add(e.errorInfo());
            }
            ctx.wait("pause", Duration.ofSeconds(1));
            return "handled";
        };

        harness.invoke(handler);
        harness.orchestrator.fireTimers();
        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.SUCCEEDED);

        assertThat(childRuns).hasValue(1);
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).isEqualTo(seen.get(1));
        assertThat(seen.get(0).type()).isEqualTo("dev.cairn.api.StepFailedException");
        assertThat(seen.get(0).data()).contains("boom");
        assertThat(harness.orchestrator.operation("1").status()).isEqualTo(OperationStatus.FAILED);
    }
}
