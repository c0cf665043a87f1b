package dev.cairn.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.api.DurableExecutionException;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.PayloadTooLargeException;
import dev.cairn.api.RetryDecision;
import dev.cairn.api.StepConfig;
import dev.cairn.api.WaitForConditionConfig;
import dev.cairn.api.WaitStrategies;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PayloadLimitTest {

    private final EngineHarness harness = new EngineHarness();

    @BeforeEach
    void smallLimit() {
        harness.engine.payloadLimit().told(100);
    }

    @AfterEach
    void close() throws InterruptedException {
        harness.close();
    }

    @Test
    void aStepResultOverTheLimitFailsTheStepAtOnceWithPayloadTooLarge() {
        AtomicInteger retryAsked = new AtomicInteger();
        AtomicInteger bodies = new AtomicInteger();
        List<DurableExecutionException> seen = new CopyOnWriteArrayList<>();
        StepConfig countingRetry = StepConfig.defaults().withRetry((error, attempt) -> {
            retryAsked.incrementAndGet();
            return RetryDecision.retryAfter(Duration.ofSeconds(1));
        });
        DurableHandler<Void, String> handler = (input, ctx) -> {
            try {
                ctx.step("export", String.class, step -> "x".repeat(200 + bodies.incrementAndGet()), countingRetry);
            } catch (PayloadTooLargeException e) {
                seen.add(e);
            }
            ctx.wait("pause", Duration.ofSeconds(1));
            return "handled";
        };

        harness.invoke(handler);
        harness.orchestrator.fireTimers();
        assertThat(harness.invoke(handler).result()).isEqualTo("\"handled\"");

        assertThat(bodies).hasValue(1);
        assertThat(retryAsked).hasValue(0);
        assertThat(harness.orchestrator.operation("1").status()).isEqualTo(OperationStatus.FAILED);
        assertThat(harness.orchestrator.updates()).filteredOn(u -> u.id().equals("1"))
                .extracting(u -> u.action()).containsExactly(OperationAction.START, OperationAction.FAIL);
        assertThat(seen).hasSize(2).allSatisfy(e -> {
            assertThat(e.operationId()).isEqualTo("1");
            assertThat(e.errorInfo().type()).isEqualTo(PayloadTooLargeException.class.getName());
            assertThat(e.getMessage()).contains("export", "203 bytes", "limit of 100 bytes");
        });
        assertThat(seen.get(0).errorInfo()).isEqualTo(seen.get(1).errorInfo());
    }

    @Test
    void aConditionStateOverTheLimitFailsTheWait() {
        DurableHandler<Void, String> handler = (input, ctx) -> ctx.waitForCondition("grow", String.class,
                (state, step) -> state + "y".repeat(150),
                WaitForConditionConfig.of("", WaitStrategies.fixedDelay(s -> false, Duration.ofSeconds(1), 3)));

        RunResult result = harness.invoke(handler);

        assertThat(result.error().type()).isEqualTo(PayloadTooLargeException.class.getName());
        assertThat(harness.orchestrator.operation("1").error().type())
                .isEqualTo(PayloadTooLargeException.class.getName());
    }

    @Test
    void anExecutionResultOverTheLimitFailsTheExecution() {
        RunResult result = harness.invoke((input, ctx) -> "z".repeat(300));

        assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(result.error().type()).isEqualTo(PayloadTooLargeException.class.getName());
    }

    @Test
    void resultsWithinTheLimitPass() {
        assertThat(harness.invoke((input, ctx) -> ctx.step("small", String.class, step -> "ok")).result())
                .isEqualTo("\"ok\"");
    }

    @Test
    void theLimitFallsBackWhenTheOrchestratorStatesNone() {
        PayloadLimit limit = new PayloadLimit(2048);
        assertThat(limit.bytes()).isEqualTo(2048);
        limit.told(512);
        assertThat(limit.bytes()).isEqualTo(512);
        limit.told(0);
        assertThat(limit.bytes()).isEqualTo(2048);
        assertThat(PayloadLimit.withDefault().bytes()).isEqualTo(1024 * 1024);
        assertThatThrownBy(() -> new PayloadLimit(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sizesAreCountedInUtf8Bytes() {
        assertThat(PayloadLimit.utf8Length("abc")).isEqualTo(3);
        assertThat(PayloadLimit.utf8Length("é")).isEqualTo(2);
        assertThat(PayloadLimit.utf8Length("€")).isEqualTo(3);
        assertThat(PayloadLimit.utf8Length("😀")).isEqualTo(4);
        PayloadLimit limit = new PayloadLimit(5);
        assertThat(limit.excess("€€")).isEqualTo(6);
        assertThat(limit.excess("€a")).isEqualTo(-1);
    }
}
