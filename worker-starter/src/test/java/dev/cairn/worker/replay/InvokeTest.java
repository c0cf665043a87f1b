package dev.cairn.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.DurableHandler;
import dev.cairn.api.ErrorInfo;
import dev.cairn.api.InvokeConfig;
import dev.cairn.api.InvokeFailedException;
import dev.cairn.api.InvokeStoppedException;
import dev.cairn.api.InvokeTimedOutException;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InvokeTest {

    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close() throws InterruptedException {
        harness.close();
    }

    record Order(String id, int amount) {
    }

    @Test
    void startsTheChildExecutionAndReturnsItsResultOnceItSucceeded() {
        DurableHandler<Void, String> handler = (input, ctx) -> "shipped " + ctx.invoke("ship", "shipping",
                new Order("o-1", 3), String.class, InvokeConfig.defaults().withVersion("2")
                        .withTimeout(Duration.ofHours(2)));

        RunResult first = harness.invoke(handler);

        assertThat(first.outcome()).isEqualTo(RunOutcome.PENDING);
        assertThat(harness.orchestrator.lastCompletion().updates()).singleElement().satisfies(u -> {
            assertThat(u.type()).isEqualTo(OperationType.CHAINED_INVOKE);
            assertThat(u.subType()).isEqualTo("ChainedInvoke");
            assertThat(u.name()).isEqualTo("ship");
            assertThat(u.action()).isEqualTo(OperationAction.START);
            assertThat(u.payload()).isEqualTo("{\"id\":\"o-1\",\"amount\":3}");
            assertThat(u.options().workflow()).isEqualTo("shipping");
            assertThat(u.options().version()).isEqualTo("2");
            assertThat(u.options().timeout()).isEqualTo(Duration.ofHours(2));
            assertThat(u.options().callbackId()).isNull();
        });
        assertThat(harness.invoke(handler).outcome()).as("child still running").isEqualTo(RunOutcome.PENDING);

        harness.orchestrator.finishChild("1", OperationStatus.SUCCEEDED, "\"parcel-9\"", null);
        RunResult last = harness.invoke(handler);

        assertThat(last.result()).isEqualTo("\"shipped parcel-9\"");
        assertThat(harness.orchestrator.updates()).hasSize(1);
    }

    @Test
    void aGenericResultAndTheDefaultVersion() {
        DurableHandler<Void, Integer> handler = (input, ctx) -> ctx.invoke("sum", "adder", List.of(1, 2),
                new dev.cairn.api.TypeRef<Map<String, Integer>>() {
                }).get("sum");

        harness.invoke(handler);
        assertThat(harness.orchestrator.lastCompletion().updates().get(0).options().version()).isNull();
        harness.orchestrator.finishChild("1", OperationStatus.SUCCEEDED, "{\"sum\":3}", null);

        assertThat(harness.invoke(handler).result()).isEqualTo("3");
    }

    @Test
    void aFailedChildThrowsInvokeFailedExceptionCarryingTheChildsError() {
        ErrorInfo childError = new ErrorInfo("dev.cairn.api.StepFailedException", "out of stock", null);
        List<InvokeFailedException> seen = new CopyOnWriteArrayList<>();
        DurableHandler<Void, String> handler = (input, ctx) -> {
            try {
                return ctx.invoke("ship", "shipping", "o-1", String.class);
            } catch (InvokeFailedException e) {
                seen.add(e);
                return "compensated";
            }
        };

        harness.invoke(handler);
        harness.orchestrator.finishChild("1", OperationStatus.FAILED, null, childError);

        assertThat(harness.invoke(handler).result()).isEqualTo("\"compensated\"");
        assertThat(seen).singleElement().satisfies(e -> {
            assertThat(e.operationId()).isEqualTo("1");
            assertThat(e.errorInfo()).isEqualTo(childError);
            assertThat(e.getMessage()).contains("shipping", "out of stock");
        });
    }

    @Test
    void aTimedOutChildThrowsInvokeTimedOutException() {
        DurableHandler<Void, String> handler = (input, ctx) -> ctx.invoke("ship", "shipping", null, String.class);

        harness.invoke(handler);
        assertThat(harness.orchestrator.lastCompletion().updates().get(0).payload()).isEqualTo("null");
        harness.orchestrator.finishChild("1", OperationStatus.TIMED_OUT, null, null);

        assertThat(harness.invoke(handler).error().type()).isEqualTo(InvokeTimedOutException.class.getName());
    }

    @Test
    void aStoppedChildThrowsInvokeStoppedException() {
        DurableHandler<Void, String> handler = (input, ctx) -> ctx.invoke("ship", "shipping", "x", String.class);

        harness.invoke(handler);
        harness.orchestrator.finishChild("1", OperationStatus.STOPPED, null,
                new ErrorInfo("Stopped", "stopped by an operator", null));

        RunResult result = harness.invoke(handler);
        assertThat(result.error().type()).isEqualTo(InvokeStoppedException.class.getName());
        assertThat(result.error().data()).contains("stopped by an operator");
    }
}
