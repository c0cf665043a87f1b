package dev.cairn.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.DurableHandler;
import dev.cairn.api.NonDeterministicExecutionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NonDeterminismTest {

    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close() throws InterruptedException {
        harness.close();
    }

    private void recordChargeThenWait() {
        harness.invoke((Void input, dev.cairn.api.DurableContext ctx) -> {
            ctx.step("charge", String.class, step -> "ok");
            ctx.wait("cool-off", Duration.ofMinutes(1));
            return null;
        });
        harness.orchestrator.fireTimers();
    }

    @Test
    void aRenamedStepFailsTheExecution() {
        recordChargeThenWait();

        RunResult result = harness.invoke((Void input, dev.cairn.api.DurableContext ctx) ->
                ctx.step("bill", String.class, step -> "ok"));

        assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(result.error().type()).isEqualTo(NonDeterministicExecutionException.class.getName());
        assertThat(result.error().message())
                .isEqualTo("Operation 1: recorded STEP/Step 'charge', code asked for STEP/Step 'bill'");
        assertThat(result.error().data()).isNull();
    }

    @Test
    void anOperationOfAnotherTypeFailsTheExecution() {
        recordChargeThenWait();

        RunResult result = harness.invoke((Void input, dev.cairn.api.DurableContext ctx) -> {
            ctx.step("charge", String.class, step -> "ok");
            return ctx.step("cool-off", String.class, step -> "not a wait");
        });

        assertThat(result.error().message())
                .isEqualTo("Operation 2: recorded WAIT/Wait 'cool-off', code asked for STEP/Step 'cool-off'");
    }

    @Test
    void reorderedOperationsFailTheExecution() {
        recordChargeThenWait();

        RunResult result = harness.invoke((Void input, dev.cairn.api.DurableContext ctx) -> {
            ctx.wait("cool-off", Duration.ofMinutes(1));
            return ctx.step("charge", String.class, step -> "ok");
        });

        assertThat(result.error().message())
                .isEqualTo("Operation 1: recorded STEP/Step 'charge', code asked for WAIT/Wait 'cool-off'");
    }

    @Test
    void anExecutionFailsEvenWhenTheCodeCatchesTheNonDeterminism() {
        recordChargeThenWait();
        AtomicInteger after = new AtomicInteger();

        RunResult result = harness.invoke((Void input, dev.cairn.api.DurableContext ctx) -> {
            try {
                ctx.step("bill", String.class, step -> "ok");
            } catch (RuntimeException e) {
                after.incrementAndGet();
            }
            try {
                ctx.step("other", String.class, step -> "ok");
            } catch (Exception e) {
                after.incrementAndGet();
            }
            return "swallowed";
        });

        assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(result.error().type()).isEqualTo(NonDeterministicExecutionException.class.getName());
        assertThat(after).hasValue(1);
        assertThat(harness.orchestrator.operations()).hasSize(2);
    }
}
