package dev.cairn.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.api.DurableHandler;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationType;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WaitTest {

    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close() throws InterruptedException {
        harness.close();
    }

    @Test
    void aWaitSuspendsTheInvocationAndReplaysThroughOnceItSucceeded() {
        AtomicInteger afterWait = new AtomicInteger();
        DurableHandler<Void, String> handler = (input, ctx) -> {
            ctx.wait("cool-off", Duration.ofMillis(1500));
            afterWait.incrementAndGet();
            return "done";
        };

        RunResult first = harness.invoke(handler);

        assertThat(first.outcome()).isEqualTo(RunOutcome.PENDING);
        assertThat(afterWait).hasValue(0);
        assertThat(harness.orchestrator.checkpoints()).isEmpty();
        assertThat(harness.orchestrator.lastCompletion().outcome()).isEqualTo(InvocationOutcome.PENDING);
        assertThat(harness.orchestrator.lastCompletion().updates()).singleElement().satisfies(u -> {
            assertThat(u.type()).isEqualTo(OperationType.WAIT);
            assertThat(u.subType()).isEqualTo("Wait");
            assertThat(u.action()).isEqualTo(OperationAction.START);
            assertThat(u.scheduledEndAt()).isEqualTo(Instant.parse("2030-01-01T00:00:01.500Z"));
        });

        RunResult early = harness.invoke(handler);
        assertThat(early.outcome()).isEqualTo(RunOutcome.PENDING);

        harness.orchestrator.fireTimers();
        RunResult last = harness.invoke(handler);
        assertThat(last.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(afterWait).hasValue(1);
    }

    @Test
    void catchingExceptionAroundAWaitDoesNotSwallowTheSuspension() {
        AtomicInteger swallowed = new AtomicInteger();
        DurableHandler<Void, String> handler = (input, ctx) -> {
            try {
                ctx.wait("cool-off", Duration.ofMinutes(1));
            } catch (Exception e) {
                swallowed.incrementAndGet();
            }
            return "too early";
        };

        RunResult result = harness.invoke(handler);

        assertThat(result.outcome()).isEqualTo(RunOutcome.PENDING);
        assertThat(swallowed).hasValue(0);
    }

    @Test
    void aZeroOrNegativeDurationIsRefusedBeforeAnythingIsRecorded() {
        DurableHandler<Void, String> handler = (input, ctx) -> {
            assertThatThrownBy(() -> ctx.wait("now", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ctx.wait("past", Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ctx.wait(" ", Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalArgumentException.class);
            return ctx.step("next", String.class, step -> step.operationId());
        };

        RunResult result = harness.invoke(handler);

        assertThat(result.result()).isEqualTo("\"1\"");
        assertThat(harness.orchestrator.operations()).singleElement()
                .satisfies(op -> assertThat(op.type()).isEqualTo(OperationType.STEP));
    }

    @Test
    void waitUntilAnInstantInThePastIsRecordedAndDoesNotSuspend() {
        DurableHandler<Void, String> handler = (input, ctx) -> {
            ctx.waitUntil("deadline", Instant.parse("2029-12-31T00:00:00Z"));
            return "went on";
        };

        RunResult result = harness.invoke(handler);

        assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(harness.orchestrator.lastCompletion().updates())
                .extracting(u -> u.action())
                .containsExactly(OperationAction.START, OperationAction.SUCCEED);
    }

    @Test
    void waitUntilAnInstantInTheFutureSuspendsUntilThen() {
        DurableHandler<Void, String> handler = (input, ctx) -> {
            ctx.waitUntil("deadline", Instant.parse("2030-01-02T00:00:00Z"));
            return "went on";
        };

        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.PENDING);
        assertThat(harness.orchestrator.operation("1").scheduledEndAt())
                .isEqualTo(Instant.parse("2030-01-02T00:00:00Z"));
    }
}
