package dev.cairn.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.DurableHandler;
import dev.cairn.api.TypeRef;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StepReplayTest {

    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close() throws InterruptedException {
        harness.close();
    }

    record Order(String id, int quantity) {
    }

    @Test
    void succeedsWithTheHandlersResultAsJson() {
        DurableHandler<Order, String> handler = (order, ctx) ->
                ctx.step("label", String.class, step -> order.id() + "x" + order.quantity());

        RunResult result = harness.invoke(handler, Order.class, String.class, "{\"id\":\"o-1\",\"quantity\":3}");

        assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(result.result()).isEqualTo("\"o-1x3\"");
        assertThat(harness.orchestrator.lastCompletion().outcome()).isEqualTo(InvocationOutcome.SUCCEEDED);
        assertThat(harness.orchestrator.lastCompletion().result()).isEqualTo("\"o-1x3\"");
    }

    @Test
    void aStepIsDurableBeforeItReturnsWithStartAndSucceedInOneRequest() {
        AtomicReference<OperationStatus> seenAfterStep = new AtomicReference<>();
        harness.invoke((Void input, dev.cairn.api.DurableContext ctx) -> {
            ctx.step("charge", Integer.class, step -> 42);
            seenAfterStep.set(harness.orchestrator.operation("1").status());
            return null;
        });

        assertThat(seenAfterStep.get()).isEqualTo(OperationStatus.SUCCEEDED);
        assertThat(harness.orchestrator.checkpoints()).hasSize(1);
        assertThat(harness.orchestrator.checkpoints().get(0).updates())
                .extracting(u -> u.action(), u -> u.attempt(), u -> u.type(), u -> u.subType(), u -> u.name())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(OperationAction.START, 1, OperationType.STEP, "Step",
                                "charge"),
                        org.assertj.core.groups.Tuple.tuple(OperationAction.SUCCEED, 1, OperationType.STEP, "Step",
                                "charge"));
        assertThat(harness.orchestrator.operation("1").result()).isEqualTo("42");
    }

    @Test
    void replayReturnsRecordedResultsWithoutRunningBodiesAgain() {
        AtomicInteger charges = new AtomicInteger();
        AtomicInteger receipts = new AtomicInteger();
        DurableHandler<Void, String> handler = (input, ctx) -> {
            int amount = ctx.step("charge", Integer.class, step -> charges.incrementAndGet() * 100);
            List<String> lines = ctx.step("receipt", new TypeRef<List<String>>() {
            }, step -> {
                receipts.incrementAndGet();
                return List.of("paid " + amount);
            });
            ctx.wait("cool-off", Duration.ofMinutes(5));
            return lines.get(0);
        };

        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.PENDING);
        harness.orchestrator.fireTimers();
        RunResult second = harness.invoke(handler);

        assertThat(second.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(second.result()).isEqualTo("\"paid 100\"");
        assertThat(charges).hasValue(1);
        assertThat(receipts).hasValue(1);
    }

    @Test
    void nowAndRandomUuidAreRecordedAsStepsAndReplayTheSameValues() {
        List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        DurableHandler<Void, Void> handler = (input, ctx) -> {
            seen.add(ctx.now());
            seen.add(ctx.randomUUID());
            ctx.wait("pause", Duration.ofSeconds(1));
            return null;
        };

        harness.invoke(handler);
        harness.clock.advance(Duration.ofHours(1));
        harness.orchestrator.fireTimers();
        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.SUCCEEDED);

        assertThat(seen).hasSize(4);
        assertThat(seen.get(0)).isEqualTo(Instant.parse("2030-01-01T00:00:00Z")).isEqualTo(seen.get(2));
        assertThat(seen.get(1)).isInstanceOf(UUID.class).isEqualTo(seen.get(3));
        assertThat(harness.orchestrator.operations())
                .extracting(op -> op.id(), op -> op.type(), op -> op.subType(), op -> op.name())
                .startsWith(
                        org.assertj.core.groups.Tuple.tuple("1", OperationType.STEP, "Now", "now"),
                        org.assertj.core.groups.Tuple.tuple("2", OperationType.STEP, "RandomUUID", "randomUUID"));
    }

    @Test
    void aVoidHandlerAcceptsAnAbsentOrNullInput() {
        DurableHandler<Void, String> handler = (input, ctx) -> String.valueOf(input);

        assertThat(harness.invoke(handler, Void.class, String.class, null).result()).isEqualTo("\"null\"");
        assertThat(harness.invoke(handler, Void.class, String.class, "null").result()).isEqualTo("\"null\"");
        assertThat(harness.invoke(handler, Void.class, String.class, "{\"ignored\":1}").result())
                .isEqualTo("\"null\"");
    }

    @Test
    void anInputThatDoesNotDeserializeFailsTheExecutionWithASerializationError() {
        DurableHandler<Order, String> handler = (order, ctx) -> order.id();

        RunResult result = harness.invoke(handler, Order.class, String.class, "[1,2]");

        assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(result.error().type()).isEqualTo("dev.cairn.api.SerializationException");
    }

    @Test
    void replayOfTenThousandRecordedStepsCompletes() {
        int steps = 10_000;
        AtomicInteger bodies = new AtomicInteger();
        DurableHandler<Void, Integer> handler = (input, ctx) -> {
            int sum = 0;
            for (int i = 0; i < steps; i++) {
                int n = i;
                sum += ctx.step("s", Integer.class, step -> {
                    bodies.incrementAndGet();
                    return n;
                });
            }
            ctx.wait("once", Duration.ofSeconds(1));
            return sum;
        };
        harness.invoke(handler);
        harness.orchestrator.fireTimers();

        RunResult replay = harness.invoke(handler);

        assertThat(replay.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(replay.result()).isEqualTo(Integer.toString(steps * (steps - 1) / 2));
        assertThat(bodies).hasValue(steps);
    }

    @Test
    void theResultOfAStepSaysWhenItsBodyBegan() {
        Instant began = harness.clock.instant();
        harness.invoke((Void input, dev.cairn.api.DurableContext ctx) -> ctx.step("charge", Integer.class, step -> {
            harness.clock.advance(Duration.ofMillis(1500));
            return 42;
        }));

        assertThat(harness.orchestrator.checkpoints().get(0).updates())
                .extracting(u -> u.action(), u -> u.startedAt())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(OperationAction.START, null),
                        org.assertj.core.groups.Tuple.tuple(OperationAction.SUCCEED, began));
    }

    @Test
    void aFailedAttemptSaysWhenItsBodyBeganToo() {
        Instant began = harness.clock.instant();
        harness.invoke((Void input, dev.cairn.api.DurableContext ctx) -> ctx.step("charge", Integer.class, step -> {
            harness.clock.advance(Duration.ofSeconds(2));
            throw new IllegalStateException("card declined");
        }, dev.cairn.api.StepConfig.defaults().withRetry(dev.cairn.api.RetryStrategies.noRetry())));

        assertThat(harness.orchestrator.updates())
                .filteredOn(u -> u.action() == OperationAction.FAIL)
                .extracting(u -> u.startedAt())
                .containsExactly(began);
    }

    @Test
    void anAtMostOnceStepLeavesTheStartTimeToItsSeparateStart() {
        harness.invoke((Void input, dev.cairn.api.DurableContext ctx) -> ctx.step("charge", Integer.class, step -> {
            harness.clock.advance(Duration.ofSeconds(1));
            return 42;
        }, dev.cairn.api.StepConfig.defaults().withSemantics(dev.cairn.api.StepSemantics.AT_MOST_ONCE_PER_RETRY)));

        assertThat(harness.orchestrator.updates()).extracting(u -> u.startedAt()).containsOnlyNulls();
    }
}
