package dev.cairn.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.cairn.api.DurableExecutionException;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.TypeRef;
import dev.cairn.api.WaitDecision;
import dev.cairn.api.WaitForConditionConfig;
import dev.cairn.api.WaitForConditionFailedException;
import dev.cairn.api.WaitStrategies;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConditionTest {

    private final EngineHarness harness = new EngineHarness();
    private final List<Integer> checkedAttempts = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws InterruptedException {
        harness.close();
    }

    private DurableHandler<Void, Integer> countUpTo(int target, int maxAttempts) {
        return (input, ctx) -> ctx.waitForCondition("count", Integer.class, (state, step) -> {
            checkedAttempts.add(step.attempt());
            assertThat(step.operationId()).isEqualTo("1");
            return state + 1;
        }, WaitForConditionConfig.of(0, WaitStrategies.fixedDelay(n -> n >= target, Duration.ofSeconds(5),
                maxAttempts)));
    }

    @Test
    void pollsWithDurableDelaysUntilTheStrategyStops() {
        DurableHandler<Void, Integer> handler = countUpTo(3, 10);

        RunResult first = harness.invoke(handler);
        RunResult early = harness.invoke(handler);
        harness.orchestrator.fireTimers();
        RunResult second = harness.invoke(handler);
        harness.orchestrator.fireTimers();
        RunResult third = harness.invoke(handler);
        RunResult replay = harness.invoke(handler);

        assertThat(List.of(first.outcome(), early.outcome(), second.outcome()))
                .containsOnly(RunOutcome.PENDING);
        assertThat(third.result()).isEqualTo("3");
        assertThat(replay.result()).isEqualTo("3");
        assertThat(checkedAttempts).containsExactly(1, 2, 3);
        assertThat(harness.orchestrator.updates())
                .extracting(u -> u.type(), u -> u.subType(), u -> u.action(), u -> u.attempt(), u -> u.payload(),
                        u -> u.nextAttemptAt())
                .containsExactlyInAnyOrder(
                        tuple(OperationType.STEP, "WaitForCondition", OperationAction.CONTINUE, 1, "1",
                                Instant.parse("2030-01-01T00:00:05Z")),
                        tuple(OperationType.STEP, "WaitForCondition", OperationAction.CONTINUE, 2, "2",
                                Instant.parse("2030-01-01T00:00:05Z")),
                        tuple(OperationType.STEP, "WaitForCondition", OperationAction.SUCCEED, 3, "3", null));
        assertThat(harness.orchestrator.operations()).singleElement()
                .satisfies(op -> assertThat(op.status()).isEqualTo(OperationStatus.SUCCEEDED));
    }

    @Test
    void theStrategySeesEachNewStateWithItsAttempt() {
        List<String> decided = new ArrayList<>();
        DurableHandler<Void, List<String>> handler = (input, ctx) -> ctx.waitForCondition("grow",
                new TypeRef<List<String>>() {
                }, (state, step) -> {
                    List<String> next = new ArrayList<>(state);
                    next.add("x" + step.attempt());
                    return next;
                }, WaitForConditionConfig.<List<String>>of(List.of(), (state, attempt) -> {
                    decided.add(attempt + ":" + state);
                    return state.size() == 2 ? WaitDecision.stop() : WaitDecision.continueAfter(Duration.ofMillis(250));
                }));

        harness.invoke(handler);
        harness.orchestrator.fireTimers();
        RunResult last = harness.invoke(handler);

        assertThat(last.result()).isEqualTo("[\"x1\",\"x2\"]");
        assertThat(decided).containsExactly("1:[x1]", "2:[x1, x2]");
        assertThat(harness.orchestrator.completions().get(0).updates().get(0).nextAttemptAt())
                .isEqualTo(Instant.parse("2030-01-01T00:00:00.250Z"));
    }

    @Test
    void runningOutOfAttemptsFailsWithWaitForConditionFailedException() {
        List<DurableExecutionException> seen = new CopyOnWriteArrayList<>();
        DurableHandler<Void, Integer> counting = countUpTo(100, 2);
        DurableHandler<Void, String> handler = (input, ctx) -> {
            try {
                counting.handle(null, ctx);
                return "met";
            } catch (WaitForConditionFailedException e) {
                seen.add(e);
                ctx.wait("pause", Duration.ofSeconds(1));
                return "gave up";
            }
        };

        harness.invoke(handler);
        harness.orchestrator.fireTimers();
        harness.invoke(handler);
        harness.orchestrator.fireTimers();
        RunResult last = harness.invoke(handler);

        assertThat(last.result()).isEqualTo("\"gave up\"");
        assertThat(checkedAttempts).containsExactly(1, 2);
        assertThat(harness.orchestrator.operation("1").status()).isEqualTo(OperationStatus.FAILED);
        assertThat(harness.orchestrator.operation("1").error().type())
                .isEqualTo(WaitForConditionFailedException.class.getName());
        assertThat(seen).hasSize(2).allSatisfy(e -> {
            assertThat(e.operationId()).isEqualTo("1");
            assertThat(e.errorInfo().message()).contains("after 2 attempt(s)");
        });
        assertThat(seen.get(0).errorInfo()).isEqualTo(seen.get(1).errorInfo());
    }

    @Test
    void aThrowingCheckFailsAtOnceWithoutAnotherPoll() {
        DurableHandler<Void, Integer> handler = (input, ctx) -> ctx.waitForCondition("probe", Integer.class,
                (state, step) -> {
                    checkedAttempts.add(step.attempt());
                    throw new IllegalStateException("service gone");
                }, WaitForConditionConfig.of(0, WaitStrategies.fixedDelay(n -> false, Duration.ofSeconds(1), 5)));

        RunResult result = harness.invoke(handler);

        assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(result.error().type()).isEqualTo(WaitForConditionFailedException.class.getName());
        assertThat(result.error().data()).contains("service gone", IllegalStateException.class.getName());
        assertThat(checkedAttempts).containsExactly(1);
        assertThat(harness.orchestrator.updates()).singleElement().satisfies(u -> {
            assertThat(u.action()).isEqualTo(OperationAction.FAIL);
            assertThat(u.attempt()).isEqualTo(1);
            assertThat(u.error().message()).isEqualTo("service gone");
        });
    }

    @Test
    void aStateMetAtTheFirstCheckSucceedsWithoutSuspending() {
        RunResult result = harness.invoke(countUpTo(1, 3));

        assertThat(result.result()).isEqualTo("1");
        assertThat(harness.orchestrator.completions()).singleElement()
                .satisfies(c -> assertThat(c.updates()).isEmpty());
        assertThat(harness.orchestrator.checkpoints()).singleElement()
                .satisfies(c -> assertThat(c.updates()).extracting(u -> u.action())
                        .containsExactly(OperationAction.SUCCEED));
    }
}
