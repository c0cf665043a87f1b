package dev.cairn.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationOptions;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationSubType;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.OperationUpdate;
import dev.cairn.worker.replay.InvocationFencedException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The recording rules every {@link DurableStore} obeys (worker-protocol README). Extend it with a fresh store per
 * test: {@link InMemoryDurableStore} does in this module's tests; the orchestrator on PostgreSQL does in
 * integration-tests. A store under contract knows the workflow {@link #WORKFLOW} and no workflow named
 * {@code never-registered}; its timers fire only through {@link DurableStore#fireDueTimers}, never within the hour.
 */
public abstract class DurableStoreContract {

    /** The workflow the store under test knows. */
    protected static final String WORKFLOW = "contract-workflow";

    private static final String STEP = OperationSubType.STEP.wireName();
    private static final String CALLBACK = OperationSubType.CALLBACK.wireName();
    private static final String INVOKE = OperationSubType.CHAINED_INVOKE.wireName();
    private static final String PARALLEL = OperationSubType.PARALLEL.wireName();
    private static final String BRANCH = OperationSubType.PARALLEL_BRANCH.wireName();
    private static final String WAIT = OperationSubType.WAIT.wireName();
    private static final String CONDITION = OperationSubType.WAIT_FOR_CONDITION.wireName();

    /** A store for one test. */
    protected abstract DurableStore store();

    @Test
    void recordsAStepStartedAndSucceededInOneRequest() {
        DurableStore store = store();
        Invocation inv = begin(store);
        store.checkpoint(request(inv, start("1", "charge", 1), succeed("1", "charge", 1, "\"ok\"")));

        OperationRecord op = single(store, inv);
        assertThat(op.status()).isEqualTo(OperationStatus.SUCCEEDED);
        assertThat(op.result()).isEqualTo("\"ok\"");
        assertThat(op.attempt()).isEqualTo(1);
        assertThat(op.endedAt()).isNotNull();
        assertThat(eventTypes(store, inv, "1")).containsExactly("StepStarted", "StepSucceeded");
    }

    @Test
    void aStepStartsWhenTheWorkerSaysItsBodyBegan() {
        DurableStore store = store();
        Invocation inv = begin(store);
        Instant began = Instant.parse("2020-01-01T00:00:00.123456Z");
        store.checkpoint(request(inv, start("1", "charge", 1),
                succeed("1", "charge", 1, "\"ok\"").withStartedAt(began)));

        OperationRecord op = single(store, inv);
        assertThat(op.startedAt()).isEqualTo(began);
        assertThat(op.endedAt()).isAfter(began);
    }

    @Test
    void anUpdateThatAnEarlierOneOfTheSameRequestOvertookChangesNothing() {
        DurableStore store = store();
        Invocation inv = begin(store);
        ErrorInfo error = new ErrorInfo("java.lang.IllegalStateException", "no", null);
        store.checkpoint(request(inv, start("1", "charge", 1), new OperationUpdate("1", null, OperationType.STEP,
                STEP, "charge", OperationAction.FAIL, 1, null, error, null, null), start("1", "charge", 1)));

        OperationRecord op = single(store, inv);
        assertThat(op.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(op.error().message()).isEqualTo("no");
        assertThat(eventTypes(store, inv, "1")).containsExactly("StepStarted", "StepFailed");
    }

    @Test
    void aRetryLeavesTheStepPendingUntilItsTimerMakesItReady() {
        DurableStore store = store();
        Invocation inv = begin(store);
        Instant next = store.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
        store.checkpoint(request(inv, start("1", "flaky", 1), new OperationUpdate("1", null, OperationType.STEP, STEP,
                "flaky", OperationAction.RETRY, 1, null, new ErrorInfo("java.io.IOException", "down", null), null,
                next)));
        store.complete(pending(inv));

        OperationRecord op = single(store, inv);
        assertThat(op.status()).isEqualTo(OperationStatus.PENDING);
        assertThat(op.error().type()).isEqualTo("java.io.IOException");
        assertThat(op.nextAttemptAt()).isEqualTo(next);
        assertThat(store.nextInvocation(inv.executionId())).isEmpty();

        store.fireDueTimers(store.now().plus(Duration.ofHours(2)));
        assertThat(single(store, inv).status()).isEqualTo(OperationStatus.READY);
        assertThat(eventTypes(store, inv, "1")).containsExactly("StepStarted", "StepFailed");
        Invocation again = store.nextInvocation(inv.executionId()).orElseThrow();
        assertThat(again.operations()).extracting(OperationRecord::status).containsExactly(OperationStatus.READY);
    }

    @Test
    void aWaitSucceedsWhenItsTimerFires() {
        DurableStore store = store();
        Invocation inv = begin(store);
        Instant due = store.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
        store.complete(pending(inv, new OperationUpdate("1", null, OperationType.WAIT, WAIT, "nap",
                OperationAction.START, null, null, null, due, null)));
        assertThat(single(store, inv).status()).isEqualTo(OperationStatus.STARTED);
        assertThat(single(store, inv).scheduledEndAt()).isEqualTo(due);

        store.fireDueTimers(store.now().plus(Duration.ofHours(2)));
        assertThat(single(store, inv).status()).isEqualTo(OperationStatus.SUCCEEDED);
        assertThat(eventTypes(store, inv, "1")).containsExactly("WaitStarted", "WaitSucceeded");
        assertThat(store.nextInvocation(inv.executionId())).isPresent();
    }

    @Test
    void aWaitStartSentAgainAfterItsTimerFiredLeavesItSucceeded() {
        DurableStore store = store();
        Invocation inv = begin(store);
        CheckpointRequest start = request(inv, new OperationUpdate("1", null, OperationType.WAIT, WAIT, "nap",
                OperationAction.START, null, null, null, store.now().plus(Duration.ofHours(1)), null));
        store.checkpoint(start);
        store.fireDueTimers(store.now().plus(Duration.ofHours(2)));

        store.checkpoint(start);
        store.fireDueTimers(store.now().plus(Duration.ofHours(1)));

        assertThat(single(store, inv).status()).isEqualTo(OperationStatus.SUCCEEDED);
        assertThat(eventTypes(store, inv, "1")).containsExactly("WaitStarted", "WaitSucceeded");
    }

    @Test
    void aRetrySentAgainAfterItsTimerMadeTheStepReadyLeavesItReady() {
        DurableStore store = store();
        Invocation inv = begin(store);
        CheckpointRequest retry = request(inv, start("1", "flaky", 1), new OperationUpdate("1", null,
                OperationType.STEP, STEP, "flaky", OperationAction.RETRY, 1, null,
                new ErrorInfo("java.io.IOException", "down", null), null, store.now().plus(Duration.ofHours(1))));
        store.checkpoint(retry);
        store.fireDueTimers(store.now().plus(Duration.ofHours(2)));

        store.checkpoint(retry);

        assertThat(single(store, inv).status()).isEqualTo(OperationStatus.READY);
        assertThat(eventTypes(store, inv, "1")).containsExactly("StepStarted", "StepFailed");
        store.checkpoint(request(inv, start("1", "flaky", 2), succeed("1", "flaky", 2, "\"ok\"")));
        assertThat(single(store, inv).status()).isEqualTo(OperationStatus.SUCCEEDED);
        assertThat(single(store, inv).attempt()).isEqualTo(2);
    }

    @Test
    void aStepSucceedSentAgainRecordsOneStepSucceeded() {
        DurableStore store = store();
        Invocation inv = begin(store);
        CheckpointRequest succeeded = request(inv, start("1", "charge", 1), succeed("1", "charge", 1, "\"ok\""));
        store.checkpoint(succeeded);

        store.checkpoint(succeeded);

        assertThat(single(store, inv).status()).isEqualTo(OperationStatus.SUCCEEDED);
        assertThat(eventTypes(store, inv, "1")).containsExactly("StepStarted", "StepSucceeded");
    }

    @Test
    void aCallbackSucceedsOnceAndRefusesASecondCompletion() {
        DurableStore store = store();
        Invocation inv = begin(store);
        String callbackId = "cb-" + inv.executionId();
        store.checkpoint(request(inv, callback("1", "approval", callbackId, Duration.ofHours(1))));
        store.complete(pending(inv));

        store.completeCallback(callbackId, "{\"approved\":true}");
        OperationRecord op = single(store, inv);
        assertThat(op.status()).isEqualTo(OperationStatus.SUCCEEDED);
        assertThat(op.result()).isEqualTo("{\"approved\":true}");
        assertThat(op.callbackId()).isEqualTo(callbackId);
        assertThat(eventTypes(store, inv, "1")).containsExactly("CallbackStarted", "CallbackSucceeded");
        assertThatThrownBy(() -> store.completeCallback(callbackId, "1")).isInstanceOf(CallbackClosedException.class);
        assertThatThrownBy(() -> store.failCallback("no-such-callback-" + callbackId, new ErrorInfo("x.Y", "m", null)))
                .isInstanceOf(UnknownCallbackException.class);
        store.fireDueTimers(store.now().plus(Duration.ofHours(2)));
        assertThat(single(store, inv).status()).isEqualTo(OperationStatus.SUCCEEDED);
    }

    @Test
    void aFailedCallbackRecordsItsErrorWithTheDataAsJsonInTheHistory() {
        DurableStore store = store();
        Invocation inv = begin(store);
        String callbackId = "cb-" + inv.executionId();
        store.complete(pending(inv, callback("1", "approval", callbackId, Duration.ofHours(1))));

        store.failCallback(callbackId, new ErrorInfo("com.example.Rejected", "not today", "{\"k\":[1]}"));
        OperationRecord op = single(store, inv);
        assertThat(op.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(op.error()).isEqualTo(new ErrorInfo("com.example.Rejected", "not today", "{\"k\":[1]}"));
        HistoryEvent failed = store.history(inv.executionId()).stream()
                .filter(e -> e.type().equals("CallbackFailed")).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) failed.details().get("error");
        assertThat(error).containsEntry("type", "com.example.Rejected").containsEntry("message", "not today");
        assertThat(error.get("data")).isEqualTo(Map.of("k", List.of(1)));
    }

    @Test
    void aCallbackTimesOutWhenItsTimerFires() {
        DurableStore store = store();
        Invocation inv = begin(store);
        String callbackId = "cb-" + inv.executionId();
        store.complete(pending(inv, callback("1", "approval", callbackId, Duration.ofHours(1))));

        store.fireDueTimers(store.now().plus(Duration.ofHours(2)));
        assertThat(single(store, inv).status()).isEqualTo(OperationStatus.TIMED_OUT);
        assertThat(eventTypes(store, inv, "1")).containsExactly("CallbackStarted", "CallbackTimedOut");
        assertThatThrownBy(() -> store.completeCallback(callbackId, "1")).isInstanceOf(CallbackClosedException.class);
    }

    @Test
    void cancellingAContextCancelsWhatIsOpenInside() {
        DurableStore store = store();
        Invocation inv = begin(store);
        Instant due = store.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
        store.checkpoint(request(inv,
                new OperationUpdate("1", null, OperationType.CONTEXT, PARALLEL, "fan", OperationAction.START, null,
                        null, null, null, null),
                new OperationUpdate("1-1", "1", OperationType.CONTEXT, BRANCH, "slow", OperationAction.START,
                        null, null, null, null, null),
                new OperationUpdate("1-1-1", "1-1", OperationType.WAIT, WAIT, "nap", OperationAction.START, null,
                        null, null, due, null),
                new OperationUpdate("1-2", "1", OperationType.CONTEXT, BRANCH, "fast", OperationAction.START,
                        null, null, null, null, null),
                new OperationUpdate("1-2", "1", OperationType.CONTEXT, BRANCH, "fast",
                        OperationAction.SUCCEED, null, "2", null, null, null)));
        store.complete(pending(inv,
                new OperationUpdate("1-1", "1", OperationType.CONTEXT, BRANCH, "slow",
                        OperationAction.CANCEL, null, null, null, null, null),
                new OperationUpdate("1", null, OperationType.CONTEXT, PARALLEL, "fan", OperationAction.SUCCEED, null,
                        "[]", null, null, null)));

        assertThat(store.operations(inv.executionId())).extracting(OperationRecord::id, OperationRecord::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("1", OperationStatus.SUCCEEDED),
                        org.assertj.core.groups.Tuple.tuple("1-1", OperationStatus.CANCELLED),
                        org.assertj.core.groups.Tuple.tuple("1-1-1", OperationStatus.CANCELLED),
                        org.assertj.core.groups.Tuple.tuple("1-2", OperationStatus.SUCCEEDED));
        store.fireDueTimers(store.now().plus(Duration.ofHours(2)));
        assertThat(store.operations(inv.executionId()).get(2).status()).isEqualTo(OperationStatus.CANCELLED);
    }

    @Test
    void aCompletionClosesTheExecutionAndFencesItsToken() {
        DurableStore store = store();
        Invocation inv = begin(store);
        Instant now = store.now();
        store.complete(new CompletionRequest(inv.executionId(), inv.invocationToken(), InvocationOutcome.SUCCEEDED,
                "{\"total\":3}", null, List.of(start("1", "a", 1), succeed("1", "a", 1, "3")), now, now));

        ExecutionRecord execution = store.execution(inv.executionId()).orElseThrow();
        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(execution.result()).isEqualTo("{\"total\":3}");
        assertThat(store.history(inv.executionId())).extracting(HistoryEvent::type).containsExactly(
                "ExecutionStarted", "StepStarted", "StepSucceeded", "InvocationCompleted", "ExecutionSucceeded");
        assertThat(store.history(inv.executionId()).get(3).detail("outcome")).isEqualTo("SUCCEEDED");
        assertThatThrownBy(() -> store.checkpoint(request(inv, start("2", "late", 1))))
                .isInstanceOf(InvocationFencedException.class);
        assertThat(store.nextInvocation(inv.executionId())).isEmpty();
    }

    @Test
    void aFailedCompletionRecordsTheError() {
        DurableStore store = store();
        Invocation inv = begin(store);
        Instant now = store.now();
        ErrorInfo error = new ErrorInfo("dev.cairn.api.StepFailedException", "boom", null);
        store.complete(new CompletionRequest(inv.executionId(), inv.invocationToken(), InvocationOutcome.FAILED, null,
                error, List.of(), now, now));

        ExecutionRecord execution = store.execution(inv.executionId()).orElseThrow();
        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error().type()).isEqualTo(error.type());
        assertThat(execution.error().message()).isEqualTo("boom");
        assertThat(store.history(inv.executionId())).extracting(HistoryEvent::type).endsWith("ExecutionFailed");
    }

    @Test
    void aChainedInvokeOfAnUnknownWorkflowFailsAtOnce() {
        DurableStore store = store();
        Invocation inv = begin(store);
        store.complete(pending(inv, new OperationUpdate("1", null, OperationType.CHAINED_INVOKE, INVOKE,
                "child", OperationAction.START, null, "{}", null, null, null,
                OperationOptions.invoke("never-registered", null, null))));

        OperationRecord op = single(store, inv);
        assertThat(op.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(op.error().type()).isEqualTo(InMemoryDurableStore.WORKFLOW_NOT_FOUND);
        assertThat(op.error().message()).isEqualTo(
                "cannot invoke: no worker ever registered the workflow 'never-registered'");
        assertThat(eventTypes(store, inv, "1")).containsExactly("ChainedInvokeStarted", "ChainedInvokeFailed");
        assertThat(store.nextInvocation(inv.executionId())).isPresent();
    }

    @Test
    void aConditionPollRecordsItsStateAndBecomesReadyWhenDue() {
        DurableStore store = store();
        Invocation inv = begin(store);
        Instant next = store.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
        store.complete(pending(inv, new OperationUpdate("1", null, OperationType.STEP, CONDITION, "poll",
                OperationAction.CONTINUE, 1, "{\"n\":1}", null, null, next)));

        OperationRecord op = single(store, inv);
        assertThat(op.status()).isEqualTo(OperationStatus.PENDING);
        assertThat(op.result()).isEqualTo("{\"n\":1}");
        assertThat(eventTypes(store, inv, "1")).containsExactly("StepStarted", "StepSucceeded");
        store.fireDueTimers(store.now().plus(Duration.ofHours(2)));
        assertThat(single(store, inv).status()).isEqualTo(OperationStatus.READY);
    }

    @Test
    void aReplayedStartDoesNotReopenACompletedCallback() {
        DurableStore store = store();
        Invocation inv = begin(store);
        String callbackId = "cb-" + inv.executionId();
        store.complete(pending(inv, callback("1", "approval", callbackId, null)));
        store.completeCallback(callbackId, "7");
        Invocation again = store.nextInvocation(inv.executionId()).orElseThrow();
        store.checkpoint(request(again, callback("1", "approval", callbackId, null)));
        assertThat(single(store, inv).status()).isEqualTo(OperationStatus.SUCCEEDED);
        assertThat(single(store, inv).result()).isEqualTo("7");
    }

    @Test
    void aStopEndsTheExecutionItsOpenOperationsAndItsToken() {
        DurableStore store = store();
        Invocation inv = begin(store);
        String callbackId = "cb-" + inv.executionId();
        Instant later = store.now().plus(Duration.ofHours(1));
        store.checkpoint(request(inv,
                start("1", "done", 1), succeed("1", "done", 1, "1"),
                start("2", "running", 1),
                start("3", "flaky", 1), new OperationUpdate("3", null, OperationType.STEP, STEP, "flaky",
                        OperationAction.RETRY, 1, null, new ErrorInfo("java.io.IOException", "down", null), null,
                        later),
                new OperationUpdate("4", null, OperationType.WAIT, "Wait", "nap", OperationAction.START, null, null,
                        null, later, null),
                callback("5", "approval", callbackId, Duration.ofHours(1)),
                new OperationUpdate("6", null, OperationType.CONTEXT, "RunInChildContext", "inner",
                        OperationAction.START, null, null, null, null, null)));

        ExecutionRecord stopped = store.stop(inv.executionId());

        assertThat(stopped.status()).isEqualTo(ExecutionStatus.STOPPED);
        assertThat(stopped.endedAt()).isNotNull();
        assertThat(store.execution(inv.executionId()).orElseThrow().status()).isEqualTo(ExecutionStatus.STOPPED);
        assertThat(store.operations(inv.executionId())).extracting(OperationRecord::id, OperationRecord::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("1", OperationStatus.SUCCEEDED),
                        org.assertj.core.groups.Tuple.tuple("2", OperationStatus.STOPPED),
                        org.assertj.core.groups.Tuple.tuple("3", OperationStatus.STOPPED),
                        org.assertj.core.groups.Tuple.tuple("4", OperationStatus.CANCELLED),
                        org.assertj.core.groups.Tuple.tuple("5", OperationStatus.CANCELLED),
                        org.assertj.core.groups.Tuple.tuple("6", OperationStatus.STOPPED));
        assertThat(store.history(inv.executionId())).extracting(HistoryEvent::type).containsExactly(
                "ExecutionStarted", "StepStarted", "StepSucceeded", "StepStarted", "StepStarted", "StepFailed",
                "WaitStarted", "CallbackStarted", "ContextStarted", "WaitCancelled", "ExecutionStopped");
        assertThatThrownBy(() -> store.checkpoint(request(inv, start("7", "late", 1))))
                .isInstanceOf(InvocationFencedException.class);
        assertThatThrownBy(() -> store.completeCallback(callbackId, "1")).isInstanceOf(CallbackClosedException.class);
        assertThat(store.nextInvocation(inv.executionId())).isEmpty();
        store.fireDueTimers(store.now().plus(Duration.ofHours(2)));
        assertThat(store.operations(inv.executionId())).extracting(OperationRecord::status).containsExactly(
                OperationStatus.SUCCEEDED, OperationStatus.STOPPED, OperationStatus.STOPPED,
                OperationStatus.CANCELLED, OperationStatus.CANCELLED, OperationStatus.STOPPED);
        assertThat(store.history(inv.executionId())).hasSize(11);
    }

    @Test
    void aStopSentAgainChangesNothing() {
        DurableStore store = store();
        Invocation inv = begin(store);
        store.checkpoint(request(inv, start("1", "running", 1)));
        ExecutionRecord first = store.stop(inv.executionId());
        List<OperationRecord> operations = store.operations(inv.executionId());
        List<HistoryEvent> history = store.history(inv.executionId());

        ExecutionRecord again = store.stop(inv.executionId());

        assertThat(again).isEqualTo(first);
        assertThat(store.operations(inv.executionId())).isEqualTo(operations);
        assertThat(store.history(inv.executionId())).isEqualTo(history);
    }

    @Test
    void aStopOfAnExecutionThatClosedOtherwiseIsRefusedAndChangesNothing() {
        DurableStore store = store();
        Invocation inv = begin(store);
        Instant now = store.now();
        store.complete(new CompletionRequest(inv.executionId(), inv.invocationToken(), InvocationOutcome.SUCCEEDED,
                "1", null, List.of(), now, now));
        List<HistoryEvent> history = store.history(inv.executionId());

        assertThatThrownBy(() -> store.stop(inv.executionId())).isInstanceOf(ExecutionClosedException.class);

        assertThat(store.execution(inv.executionId()).orElseThrow().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(store.history(inv.executionId())).isEqualTo(history);
    }

    @Test
    void aStopStopsTheRunningChainedChildrenToo() {
        DurableStore store = store();
        Invocation parent = begin(store);
        store.complete(pending(parent, invoke("1", "child")));
        String childId = single(store, parent).childExecutionId();
        Invocation child = store.nextInvocation(childId).orElseThrow();
        store.checkpoint(request(child, start("1", "running", 1)));

        store.stop(parent.executionId());

        assertThat(single(store, parent).status()).isEqualTo(OperationStatus.STOPPED);
        assertThat(eventTypes(store, parent, "1")).containsExactly("ChainedInvokeStarted", "ChainedInvokeStopped");
        assertThat(store.execution(childId).orElseThrow().status()).isEqualTo(ExecutionStatus.STOPPED);
        assertThat(single(store, child).status()).isEqualTo(OperationStatus.STOPPED);
        HistoryEvent childStopped = store.history(childId).get(store.history(childId).size() - 1);
        assertThat(childStopped.type()).isEqualTo("ExecutionStopped");
        assertThat(childStopped.detail("stoppedWith")).isEqualTo(parent.executionId());
        assertThatThrownBy(() -> store.checkpoint(request(child, start("2", "late", 1))))
                .isInstanceOf(InvocationFencedException.class);
    }

    @Test
    void aStoppedChainedChildTellsItsParent() {
        DurableStore store = store();
        Invocation parent = begin(store);
        store.complete(pending(parent, invoke("1", "child")));
        String childId = single(store, parent).childExecutionId();
        assertThat(store.nextInvocation(parent.executionId())).isEmpty();

        store.stop(childId);

        assertThat(store.execution(childId).orElseThrow().status()).isEqualTo(ExecutionStatus.STOPPED);
        assertThat(store.execution(parent.executionId()).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(single(store, parent).status()).isEqualTo(OperationStatus.STOPPED);
        assertThat(eventTypes(store, parent, "1")).containsExactly("ChainedInvokeStarted", "ChainedInvokeStopped");
        Invocation again = store.nextInvocation(parent.executionId()).orElseThrow();
        assertThat(again.operations()).extracting(OperationRecord::status).containsExactly(OperationStatus.STOPPED);
    }

    // ---------------------------------------------------------------- found by DurableStoreEquivalence

    @Test
    void theSameCompletionSentAgainIsAnsweredAsOnceAndADifferentOneIsFenced() {
        DurableStore store = store();
        Invocation inv = begin(store);
        CompletionRequest pending = pending(inv);
        store.complete(pending);

        store.complete(pending);

        assertThat(store.history(inv.executionId())).extracting(HistoryEvent::type)
                .containsExactly("ExecutionStarted", "InvocationCompleted");
        assertThatThrownBy(() -> store.complete(new CompletionRequest(inv.executionId(), inv.invocationToken(),
                InvocationOutcome.SUCCEEDED, "1", null, List.of(), null, null)))
                .isInstanceOf(InvocationFencedException.class);
        assertThat(store.execution(inv.executionId()).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
    }

    @Test
    void aCallbackCompletionSentAgainIsAnsweredAsOnceWhateverHappenedSince() {
        DurableStore store = store();
        Invocation inv = begin(store);
        String callbackId = "cb-" + inv.executionId();
        store.complete(pending(inv, callback("1", "approval", callbackId, Duration.ofHours(1))));
        ErrorInfo rejected = new ErrorInfo("com.example.Rejected", "no", "{\"a\":1,\"b\":[2]}");
        store.failCallback(callbackId, rejected);

        store.failCallback(callbackId, new ErrorInfo("com.example.Rejected", "no", "{\"b\":[2],\"a\":1}"));

        assertThat(eventTypes(store, inv, "1")).containsExactly("CallbackStarted", "CallbackFailed");
        assertThatThrownBy(() -> store.failCallback(callbackId, new ErrorInfo("com.example.Rejected", "other", null)))
                .isInstanceOf(CallbackClosedException.class);
        assertThatThrownBy(() -> store.completeCallback(callbackId, "1")).isInstanceOf(CallbackClosedException.class);
        assertThatThrownBy(() -> store.heartbeatCallback(callbackId)).isInstanceOf(CallbackClosedException.class);
        Invocation again = store.nextInvocation(inv.executionId()).orElseThrow();
        Instant now = store.now();
        store.complete(new CompletionRequest(again.executionId(), again.invocationToken(), InvocationOutcome.FAILED,
                null, rejected, List.of(), now, now));

        store.failCallback(callbackId, rejected);

        assertThat(eventTypes(store, inv, "1")).containsExactly("CallbackStarted", "CallbackFailed");
        assertThat(single(store, inv).error()).isEqualTo(rejected);
    }

    @Test
    void aChainedChildWithATimeoutCompletesItsCallbacksAndTimesOutIntoItsParent() {
        DurableStore store = store();
        Invocation parent = begin(store);
        store.complete(pending(parent, new OperationUpdate("1", null, OperationType.CHAINED_INVOKE, "ChainedInvoke",
                "child", OperationAction.START, null, "{}", null, null, null,
                OperationOptions.invoke(WORKFLOW, null, Duration.ofHours(1)))));
        String childId = single(store, parent).childExecutionId();
        Invocation child = store.nextInvocation(childId).orElseThrow();
        String callbackId = "cb-" + childId;
        store.complete(pending(child, callback("1", "approval", callbackId, null),
                callback("2", "other", callbackId + "-2", Duration.ofMinutes(30))));

        store.completeCallback(callbackId, "1");
        store.fireDueTimers(store.now().plus(Duration.ofMinutes(45)));
        assertThat(store.operations(childId)).extracting(OperationRecord::status)
                .containsExactly(OperationStatus.SUCCEEDED, OperationStatus.TIMED_OUT);
        store.fireDueTimers(store.now().plus(Duration.ofHours(2)));

        assertThat(store.execution(childId).orElseThrow().status()).isEqualTo(ExecutionStatus.TIMED_OUT);
        assertThat(single(store, parent).status()).isEqualTo(OperationStatus.TIMED_OUT);
        assertThat(eventTypes(store, parent, "1")).containsExactly("ChainedInvokeStarted", "ChainedInvokeTimedOut");
    }

    @Test
    void anAttemptBelowOneMakesTheRequestInvalidAndWritesNothing() {
        DurableStore store = store();
        Invocation inv = begin(store);

        assertThatThrownBy(() -> store.checkpoint(request(inv, start("1", "fine", 1), start("2", "zero", 0))))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(store.operations(inv.executionId())).isEmpty();
        assertThat(store.history(inv.executionId())).extracting(HistoryEvent::type).containsExactly("ExecutionStarted");
    }

    @Test
    void anInvalidRequestIsInvalidBeforeItsTokenIsLookedAt() {
        DurableStore store = store();
        Invocation inv = begin(store);
        store.complete(pending(inv));
        OperationUpdate cancelledStep = new OperationUpdate("1", null, OperationType.STEP, STEP, "step",
                OperationAction.CANCEL, 1, null, null, null, null);

        assertThatThrownBy(() -> store.checkpoint(request(inv, cancelledStep)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.complete(pending(inv, cancelledStep)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.checkpoint(request(inv, start("1", "step", 1))))
                .isInstanceOf(InvocationFencedException.class);
    }

    // ---------------------------------------------------------------- helpers

    private static Invocation begin(DurableStore store) {
        String id = store.start(WORKFLOW, "{\"n\":1}");
        Invocation inv = store.nextInvocation(id).orElseThrow(() -> new AssertionError("a new execution is ready"));
        assertThat(inv.operations()).isEmpty();
        assertThat(store.execution(id).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
        return inv;
    }

    private static OperationRecord single(DurableStore store, Invocation inv) {
        List<OperationRecord> ops = store.operations(inv.executionId());
        assertThat(ops).hasSize(1);
        return ops.get(0);
    }

    private static List<String> eventTypes(DurableStore store, Invocation inv, String operationId) {
        return store.history(inv.executionId()).stream().filter(e -> operationId.equals(e.operationId()))
                .map(HistoryEvent::type).toList();
    }

    private static CheckpointRequest request(Invocation inv, OperationUpdate... updates) {
        return new CheckpointRequest(inv.executionId(), inv.invocationToken(), List.of(updates));
    }

    private static CompletionRequest pending(Invocation inv, OperationUpdate... updates) {
        return new CompletionRequest(inv.executionId(), inv.invocationToken(), InvocationOutcome.PENDING, null, null,
                List.of(updates), null, null);
    }

    private static OperationUpdate start(String id, String name, int attempt) {
        return new OperationUpdate(id, null, OperationType.STEP, STEP, name, OperationAction.START, attempt, null,
                null, null, null);
    }

    private static OperationUpdate succeed(String id, String name, int attempt, String payload) {
        return new OperationUpdate(id, null, OperationType.STEP, STEP, name, OperationAction.SUCCEED, attempt, payload,
                null, null, null);
    }

    private static OperationUpdate invoke(String id, String name) {
        return new OperationUpdate(id, null, OperationType.CHAINED_INVOKE, "ChainedInvoke", name,
                OperationAction.START, null, "{\"n\":2}", null, null, null, OperationOptions.invoke(WORKFLOW, null,
                        null));
    }

    private static OperationUpdate callback(String id, String name, String callbackId, Duration timeout) {
        return new OperationUpdate(id, null, OperationType.CALLBACK, CALLBACK, name, OperationAction.START, null,
                null, null, null, null, OperationOptions.callback(callbackId, timeout, null));
    }
}
