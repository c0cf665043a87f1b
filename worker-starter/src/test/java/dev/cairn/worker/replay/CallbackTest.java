package dev.cairn.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.cairn.api.CallbackConfig;
import dev.cairn.api.CallbackFailedException;
import dev.cairn.api.CallbackTimeoutException;
import dev.cairn.api.DurableCallback;
import dev.cairn.api.DurableExecutionException;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.ErrorInfo;
import dev.cairn.api.RetryStrategies;
import dev.cairn.api.StepFailedException;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.OperationUpdate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallbackTest {

    private static final ErrorInfo DECLINED = new ErrorInfo("PaymentDeclined", "card declined", "{\"code\":51}");

    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close() throws InterruptedException {
        harness.close();
    }

    @Test
    void aCallbackIdIsDurableBeforeTheCodeGetsItAndGetSuspendsUntilTheCallbackSucceeded() {
        List<String> idsSeen = new CopyOnWriteArrayList<>();
        List<Integer> checkpointsWhenSeen = new CopyOnWriteArrayList<>();
        DurableHandler<Void, String> handler = (input, ctx) -> {
            DurableCallback<String> approval = ctx.createCallback("approval", String.class,
                    CallbackConfig.defaults().withTimeout(Duration.ofHours(1))
                            .withHeartbeatTimeout(Duration.ofMinutes(5)));
            idsSeen.add(approval.callbackId());
            checkpointsWhenSeen.add(harness.orchestrator.checkpoints().size());
            return "approved by " + approval.get();
        };

        RunResult first = harness.invoke(handler);

        assertThat(first.outcome()).isEqualTo(RunOutcome.PENDING);
        assertThat(checkpointsWhenSeen).containsExactly(1);
        OperationUpdate start = harness.orchestrator.checkpoints().get(0).updates().get(0);
        assertThat(start.type()).isEqualTo(OperationType.CALLBACK);
        assertThat(start.subType()).isEqualTo("Callback");
        assertThat(start.name()).isEqualTo("approval");
        assertThat(start.action()).isEqualTo(OperationAction.START);
        assertThat(start.options().callbackId()).isEqualTo(idsSeen.get(0)).matches("[A-Za-z0-9_-]{43}");
        assertThat(start.options().timeout()).isEqualTo(Duration.ofHours(1));
        assertThat(start.options().heartbeatTimeout()).isEqualTo(Duration.ofMinutes(5));

        assertThat(harness.invoke(handler).outcome()).as("still open").isEqualTo(RunOutcome.PENDING);
        harness.orchestrator.succeedCallback(idsSeen.get(0), "\"alice\"");
        RunResult last = harness.invoke(handler);

        assertThat(last.result()).isEqualTo("\"approved by alice\"");
        assertThat(idsSeen).hasSize(3).containsOnly(idsSeen.get(0));
        assertThat(harness.orchestrator.updates()).hasSize(1);
    }

    @Test
    void callbackIdsAreRandomAndUnique() {
        assertThat(List.of(CallbackOperation.newCallbackId(), CallbackOperation.newCallbackId(),
                CallbackOperation.newCallbackId())).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).matches("[A-Za-z0-9_-]{43}"));
    }

    @Test
    void aFailedCallbackThrowsCallbackFailedExceptionWithTheRecordedError() {
        List<DurableExecutionException> seen = new CopyOnWriteArrayList<>();
        DurableHandler<Void, String> handler = (input, ctx) -> {
            DurableCallback<String> callback = ctx.createCallback("approval", String.class);
            try {
                return callback.get();
            } catch (CallbackFailedException e) {
                seen.add(e);
                return "declined";
            }
        };

        harness.invoke(handler);
        harness.orchestrator.failCallback(harness.orchestrator.callbackIdOf("1"), DECLINED);
        RunResult result = harness.invoke(handler);

        assertThat(result.result()).isEqualTo("\"declined\"");
        assertThat(seen).singleElement().satisfies(e -> {
            assertThat(e.operationId()).isEqualTo("1");
            assertThat(e.errorInfo()).isEqualTo(DECLINED);
            assertThat(e.getMessage()).contains("approval", "card declined");
        });
    }

    @Test
    void aTimedOutCallbackThrowsCallbackTimeoutException() {
        DurableHandler<Void, String> handler = (input, ctx) -> ctx.createCallback("approval", String.class,
                CallbackConfig.defaults().withTimeout(Duration.ofMinutes(1))).get();

        harness.invoke(handler);
        harness.orchestrator.timeOutCallback(harness.orchestrator.callbackIdOf("1"));
        RunResult result = harness.invoke(handler);

        assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(result.error().type()).isEqualTo(CallbackTimeoutException.class.getName());
    }

    @Test
    void waitForCallbackRecordsAContextHoldingTheCallbackAndTheSubmitter() {
        List<String> submitted = new CopyOnWriteArrayList<>();
        AtomicInteger after = new AtomicInteger();
        DurableHandler<Void, Integer> handler = (input, ctx) -> {
            Integer score = ctx.waitForCallback("review", Integer.class, (callbackId, step) -> {
                assertThat(step.operationId()).isEqualTo("1-2");
                submitted.add(callbackId);
            });
            after.incrementAndGet();
            ctx.wait("pause", Duration.ofSeconds(1));
            return score;
        };

        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.PENDING);
        assertThat(harness.orchestrator.operations())
                .extracting(op -> op.id(), op -> op.parentId(), op -> op.type(), op -> op.subType(), op -> op.name(),
                        op -> op.status())
                .containsExactly(
                        tuple("1", null, OperationType.CONTEXT, "WaitForCallback", "review", OperationStatus.STARTED),
                        tuple("1-1", "1", OperationType.CALLBACK, "Callback", "review-callback",
                                OperationStatus.STARTED),
                        tuple("1-2", "1", OperationType.STEP, "Step", "review-submitter", OperationStatus.SUCCEEDED));
        assertThat(submitted).containsExactly(harness.orchestrator.callbackIdOf("1-1"));

        harness.orchestrator.succeedCallback(submitted.get(0), "42");
        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.PENDING);
        assertThat(harness.orchestrator.operation("1").status()).isEqualTo(OperationStatus.SUCCEEDED);
        assertThat(harness.orchestrator.operation("1").result()).isEqualTo("42");

        harness.orchestrator.fireTimers();
        RunResult last = harness.invoke(handler);

        assertThat(last.result()).isEqualTo("42");
        assertThat(submitted).hasSize(1);
        assertThat(after).hasValue(2);
    }

    @Test
    void aFailedCallbackFailsTheWaitContextAndRethrowsTheSameOnReplay() {
        List<DurableExecutionException> seen = new CopyOnWriteArrayList<>();
        DurableHandler<Void, String> handler = (input, ctx) -> {
            try {
                ctx.waitForCallback("review", String.class, (id, step) -> { });
            } catch (CallbackFailedException e) {
                seen.add(e);
            }
            ctx.wait("pause", Duration.ofSeconds(1));
            return "handled";
        };

        harness.invoke(handler);
        harness.orchestrator.failCallback(harness.orchestrator.callbackIdOf("1-1"), DECLINED);
        harness.invoke(handler);
        assertThat(harness.orchestrator.operation("1").status()).isEqualTo(OperationStatus.FAILED);
        assertThat(harness.orchestrator.operation("1").error().type())
                .isEqualTo(CallbackFailedException.class.getName());
        harness.orchestrator.fireTimers();
        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.SUCCEEDED);

        assertThat(seen).hasSize(2);
        assertThat(seen).allSatisfy(e -> {
            assertThat(e).isInstanceOf(CallbackFailedException.class);
            assertThat(e.operationId()).isEqualTo("1-1");
            assertThat(e.errorInfo()).isEqualTo(DECLINED);
        });
        assertThat(seen.get(0).getMessage()).isEqualTo(seen.get(1).getMessage());
    }

    @Test
    void aFailingSubmitterIsRetriedByTheSubmitterRetryAndThenFailsTheWait() {
        AtomicInteger attempts = new AtomicInteger();
        List<DurableExecutionException> seen = new CopyOnWriteArrayList<>();
        DurableHandler<Void, String> handler = (input, ctx) -> {
            try {
                return ctx.waitForCallback("review", String.class, (id, step) -> {
                    attempts.incrementAndGet();
                    throw new IllegalStateException("mail server down");
                }, CallbackConfig.defaults().withSubmitterRetry(RetryStrategies.fixedDelay(2, Duration.ofSeconds(3))));
            } catch (StepFailedException e) {
                seen.add(e);
                ctx.wait("pause", Duration.ofSeconds(1));
                return "gave up";
            }
        };

        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.PENDING);
        assertThat(harness.orchestrator.operation("1-2").status()).isEqualTo(OperationStatus.PENDING);
        harness.orchestrator.fireTimers();
        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.PENDING);
        harness.orchestrator.fireTimers();
        RunResult last = harness.invoke(handler);

        assertThat(last.result()).isEqualTo("\"gave up\"");
        assertThat(attempts).hasValue(2);
        assertThat(harness.orchestrator.operation("1").status()).isEqualTo(OperationStatus.FAILED);
        assertThat(seen).hasSize(2).allSatisfy(e -> {
            assertThat(e.operationId()).isEqualTo("1-2");
            assertThat(e.errorInfo().message()).isEqualTo("mail server down");
        });
    }

    @Test
    void anyOfACallbackAndAStepReturnsTheStepWhileTheCallbackIsOpenAndStaysSoOnReplay() {
        DurableHandler<Void, String> handler = (input, ctx) -> {
            DurableCallback<String> callback = ctx.createCallback("approval", String.class);
            var fallback = ctx.stepAsync("fallback", String.class, step -> "fallback");
            Object first = dev.cairn.api.DurableFuture.anyOf(callback, fallback).get();
            ctx.wait("pause", Duration.ofSeconds(1));
            return "first: " + first;
        };

        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.PENDING);
        harness.clock.advance(Duration.ofSeconds(1));
        harness.orchestrator.succeedCallback(harness.orchestrator.callbackIdOf("1"), "\"approved\"");
        harness.orchestrator.fireTimers();
        RunResult last = harness.invoke(handler);

        assertThat(last.result()).isEqualTo("\"first: fallback\"");
    }

    @Test
    void anyOfACallbackAndAStepWaitingForARetrySuspendsUntilTheCallbackCompletes() {
        AtomicInteger attempts = new AtomicInteger();
        DurableHandler<Void, String> handler = (input, ctx) -> {
            DurableCallback<String> callback = ctx.createCallback("approval", String.class);
            var poll = ctx.stepAsync("poll", String.class, step -> {
                attempts.incrementAndGet();
                throw new IllegalStateException("not yet");
            }, dev.cairn.api.StepConfig.defaults().withRetry(RetryStrategies.fixedDelay(5, Duration.ofMinutes(1))));
            Object first = dev.cairn.api.DurableFuture.anyOf(callback, poll).get();
            return "first: " + first;
        };

        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.PENDING);
        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.PENDING);
        harness.orchestrator.succeedCallback(harness.orchestrator.callbackIdOf("1"), "\"approved\"");
        RunResult last = harness.invoke(handler);

        assertThat(last.result()).isEqualTo("\"first: approved\"");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void allOfACallbackAndAStepWaitsForBoth() {
        DurableHandler<Void, String> handler = (input, ctx) -> {
            DurableCallback<String> callback = ctx.createCallback("approval", String.class);
            var step = ctx.stepAsync("prepare", String.class, s -> "prepared");
            dev.cairn.api.DurableFuture.allOf(callback, step).get();
            return step.get() + " and " + callback.get();
        };

        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.PENDING);
        assertThat(harness.orchestrator.operation("2").status()).isEqualTo(OperationStatus.SUCCEEDED);
        harness.orchestrator.succeedCallback(harness.orchestrator.callbackIdOf("1"), "\"approved\"");

        assertThat(harness.invoke(handler).result()).isEqualTo("\"prepared and approved\"");
    }
}
