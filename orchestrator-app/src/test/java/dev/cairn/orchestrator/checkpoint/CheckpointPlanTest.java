package dev.cairn.orchestrator.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.cairn.api.ErrorInfo;
import dev.cairn.orchestrator.api.InvalidRequestException;
import dev.cairn.orchestrator.json.PayloadJson;
import dev.cairn.orchestrator.ledger.CheckpointPlan;
import dev.cairn.orchestrator.ledger.ChildStart;
import dev.cairn.orchestrator.ledger.EventRow;
import dev.cairn.orchestrator.ledger.OperationRow;
import dev.cairn.orchestrator.ledger.TimerRow;
import dev.cairn.orchestrator.worker.ResolvedVersion;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationOptions;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.OperationUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class CheckpointPlanTest {

    private static final Instant NOW = Instant.parse("2025-01-01T10:00:00Z");
    private final PayloadJson json = new PayloadJson(JsonMapper.builder().build());

    @Test
    void foldsStartAndSucceedOfOneStepIntoOneRowAndTwoEvents() {
        CheckpointPlan plan = CheckpointPlanner.of(List.of(
                update("1", OperationType.STEP, OperationAction.START, 1, null, null, null, null),
                update("1", OperationType.STEP, OperationAction.SUCCEED, 1, "{\"ok\":true}", null, null, null)),
                NOW, json);

        assertThat(plan.operations()).singleElement().satisfies(row -> {
            assertThat(row.status()).isEqualTo("SUCCEEDED");
            assertThat(row.attempt()).isEqualTo(1);
            assertThat(row.result()).isEqualTo("{\"ok\":true}");
            assertThat(row.endedAt()).isEqualTo(NOW);
        });
        assertThat(plan.events()).extracting(EventRow::type).containsExactly("StepStarted", "StepSucceeded");
        assertThat(plan.events().get(0).details()).isEqualTo("{\"attempt\":1}");
        assertThat(plan.timerUpserts()).isEmpty();
    }

    @Test
    void aStepsResultCarriesTheTimeItsBodyBeganIntoTheRow() {
        Instant began = NOW.minusMillis(1500);
        CheckpointPlan plan = CheckpointPlanner.of(List.of(
                update("1", OperationType.STEP, OperationAction.START, 1, null, null, null, null),
                update("1", OperationType.STEP, OperationAction.SUCCEED, 1, "1", null, null, null)
                        .withStartedAt(began)), NOW, json);

        assertThat(plan.operations()).singleElement().satisfies(row -> {
            assertThat(row.startedAt()).isEqualTo(began);
            assertThat(row.endedAt()).isEqualTo(NOW);
        });
    }

    @Test
    void aStartTimeIsRefusedOnAnythingButAStepsResult() {
        assertThatThrownBy(() -> CheckpointPlanner.of(List.of(
                update("1", OperationType.STEP, OperationAction.START, 1, null, null, null, null).withStartedAt(NOW),
                update("2", OperationType.WAIT, OperationAction.SUCCEED, null, null, null, null, null)
                        .withStartedAt(NOW)), NOW, json))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).errors()).extracting("field")
                        .containsExactly("updates[0].startedAt", "updates[1].startedAt"));
    }

    @Test
    void aRetryRecordsTheErrorAndARetryTimer() {
        Instant next = NOW.plusSeconds(5);
        CheckpointPlan plan = CheckpointPlanner.of(List.of(update("2", OperationType.STEP, OperationAction.RETRY, 3,
                null, new ErrorInfo("x.Boom", "boom", "{\"code\":7}"), null, next)), NOW, json);

        assertThat(plan.operations().get(0).status()).isEqualTo("PENDING");
        assertThat(plan.operations().get(0).nextAttemptAt()).isEqualTo(next);
        assertThat(plan.events().get(0).type()).isEqualTo("StepFailed");
        assertThat(plan.events().get(0).details()).isEqualTo("{\"attempt\":3,\"error\":{\"type\":\"x.Boom\","
                + "\"message\":\"boom\",\"data\":{\"code\":7}},\"nextAttemptAt\":\"2025-01-01T10:00:05Z\"}");
        assertThat(plan.timerUpserts()).containsExactly(new TimerRow("2", "RETRY", next, "2"));
    }

    @Test
    void aWaitStartedAndSucceededInOneRequestLeavesNoTimer() {
        Instant until = NOW.minusSeconds(1);
        CheckpointPlan plan = CheckpointPlanner.of(List.of(
                update("3", OperationType.WAIT, OperationAction.START, null, null, null, until, null),
                update("3", OperationType.WAIT, OperationAction.SUCCEED, null, null, null, null, null)), NOW, json);

        assertThat(plan.operations().get(0).scheduledEndAt()).isEqualTo(until);
        assertThat(plan.operations().get(0).attempt()).isNull();
        assertThat(plan.events()).extracting(EventRow::type).containsExactly("WaitStarted", "WaitSucceeded");
        assertThat(plan.timerUpserts()).isEmpty();
        assertThat(plan.timerDeletes()).containsExactly("3");
    }

    @Test
    void errorDataThatIsNotJsonIsStoredAsAString() {
        CheckpointPlan plan = CheckpointPlanner.of(List.of(update("4", OperationType.CONTEXT, OperationAction.FAIL, null,
                null, new ErrorInfo("x.Boom", null, "not json"), null, null)), NOW, json);

        assertThat(plan.operations().get(0).error()).isEqualTo("{\"type\":\"x.Boom\",\"data\":\"not json\"}");
        assertThat(plan.events().get(0).type()).isEqualTo("ContextFailed");
    }

    @Test
    void rejectsUpdatesTheProtocolDoesNotDefine() {
        assertThatThrownBy(() -> CheckpointPlanner.of(List.of(
                update("1", OperationType.WAIT, OperationAction.RETRY, null, null, null, null, null),
                update("2", OperationType.WAIT, OperationAction.START, null, null, null, null, null),
                update("3", OperationType.EXECUTION, OperationAction.SUCCEED, null, null, null, null, null)), NOW, json))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).errors()).extracting("field")
                        .containsExactly("updates[0].action", "updates[0].nextAttemptAt", "updates[1].scheduledEndAt",
                                "updates[2].type"));
    }

    @Test
    void aCallbackStartStoresItsIdAndHeartbeatTimeoutAndSetsBothTimers() {
        CheckpointPlan plan = CheckpointPlanner.of(List.of(new OperationUpdate("5", null, OperationType.CALLBACK,
                "Callback", "approval", OperationAction.START, null, null, null, null, null,
                OperationOptions.callback("abc", Duration.ofMinutes(10), Duration.ofSeconds(30)))), NOW, json);

        OperationRow row = plan.operations().get(0);
        assertThat(row.status()).isEqualTo("STARTED");
        assertThat(row.callbackId()).isEqualTo("abc");
        assertThat(row.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(plan.events().get(0).type()).isEqualTo("CallbackStarted");
        assertThat(plan.events().get(0).details())
                .isEqualTo("{\"callbackId\":\"abc\",\"timeout\":\"PT10M\",\"heartbeatTimeout\":\"PT30S\"}");
        assertThat(plan.timerUpserts()).containsExactly(
                new TimerRow("5#timeout", "CALLBACK_TIMEOUT", NOW.plusSeconds(600), "5"),
                new TimerRow("5#heartbeat", "CALLBACK_HEARTBEAT", NOW.plusSeconds(30), "5"));
    }

    @Test
    void aFailedConditionPollRecordsStepStartedAndStepFailedWithTheState() {
        CheckpointPlan plan = CheckpointPlanner.of(List.of(new OperationUpdate("6", null, OperationType.STEP,
                "WaitForCondition", "poll", OperationAction.FAIL, 4, "{\"n\":4}",
                new ErrorInfo("x.Boom", "boom", null), null, null)), NOW, json);

        assertThat(plan.operations().get(0).status()).isEqualTo("FAILED");
        assertThat(plan.events()).extracting(EventRow::type).containsExactly("StepStarted", "StepFailed");
        assertThat(plan.events().get(1).details()).isEqualTo("{\"attempt\":4,\"error\":{\"type\":\"x.Boom\","
                + "\"message\":\"boom\"},\"state\":{\"n\":4}}");
    }

    @Test
    void aCancelledContextCancelsWhatThisRequestOpenedInsideItAndDropsTheirTimers() {
        Instant later = NOW.plusSeconds(60);
        CheckpointPlan plan = CheckpointPlanner.of(List.of(
                update("7-1", OperationType.WAIT, OperationAction.START, null, null, null, later, null),
                update("7-2", OperationType.STEP, OperationAction.START, 1, null, null, null, null),
                update("7-2", OperationType.STEP, OperationAction.SUCCEED, 1, "1", null, null, null),
                update("70-1", OperationType.WAIT, OperationAction.START, null, null, null, later, null),
                update("7", OperationType.CONTEXT, OperationAction.CANCEL, null, null, null, null, null)), NOW, json);

        assertThat(plan.operations()).extracting(OperationRow::id, OperationRow::status).containsExactly(
                tuple("7-1", "CANCELLED"), tuple("7-2", "SUCCEEDED"), tuple("70-1", "STARTED"),
                tuple("7", "CANCELLED"));
        assertThat(plan.timerUpserts()).extracting(TimerRow::timerId).containsExactly("70-1");
        assertThat(plan.cancelled()).containsExactly("7");
        assertThat(plan.events()).extracting(EventRow::type).containsExactly("WaitStarted", "StepStarted",
                "StepSucceeded", "WaitStarted");
    }

    @Test
    void aChainedInvokeStartsAChildWithAnIdDerivedFromTheParentAndTheOperation() {
        UUID parent = UUID.randomUUID();
        OperationUpdate start = new OperationUpdate("8", null, OperationType.CHAINED_INVOKE, "ChainedInvoke", "call",
                OperationAction.START, null, "{\"x\":1}", null, null, null,
                OperationOptions.invoke("child", null, Duration.ofMinutes(1)));
        InvokeTargets targets = (workflow, version) -> new ResolvedVersion(workflow, version, "3", true);

        CheckpointPlan plan = CheckpointPlanner.of(List.of(start), NOW, json, parent, targets);
        CheckpointPlan replayed = CheckpointPlanner.of(List.of(start), NOW, json, parent, targets);

        ChildStart child = plan.children().get(0);
        assertThat(child.executionId()).isEqualTo(replayed.children().get(0).executionId())
                .isNotEqualTo(CheckpointPlanner.childId(parent, "9"));
        assertThat(child.version()).isEqualTo("3");
        assertThat(child.input()).isEqualTo("{\"x\":1}");
        assertThat(child.timeoutAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(plan.operations().get(0).childExecutionId()).isEqualTo(child.executionId().toString());
        assertThat(plan.events().get(0).type()).isEqualTo("ChainedInvokeStarted");
        assertThat(plan.wakesNow()).isFalse();
    }

    @Test
    void aChainedInvokeOfAnUnknownWorkflowFailsAtOnce() {
        OperationUpdate start = new OperationUpdate("8", null, OperationType.CHAINED_INVOKE, "ChainedInvoke", "call",
                OperationAction.START, null, null, null, null, null, OperationOptions.invoke("nope", null, null));

        CheckpointPlan plan = CheckpointPlanner.of(List.of(start), NOW, json, UUID.randomUUID(), InvokeTargets.NONE);

        assertThat(plan.children()).isEmpty();
        assertThat(plan.operations().get(0).status()).isEqualTo("FAILED");
        assertThat(plan.operations().get(0).error()).contains(CheckpointPlanner.WORKFLOW_NOT_FOUND).contains("'nope'");
        assertThat(plan.events()).extracting(EventRow::type).containsExactly("ChainedInvokeStarted",
                "ChainedInvokeFailed");
        assertThat(plan.wakesNow()).isTrue();
    }

    @Test
    void rejectsCallbacksAndInvokesWithoutTheirOptions() {
        assertThatThrownBy(() -> CheckpointPlanner.of(List.of(
                update("1", OperationType.CALLBACK, OperationAction.START, null, null, null, null, null),
                update("2", OperationType.CHAINED_INVOKE, OperationAction.START, null, null, null, null, null),
                update("3", OperationType.STEP, OperationAction.CONTINUE, 1, "1", null, null, null),
                update("4", OperationType.STEP, OperationAction.CANCEL, 1, null, null, null, null)), NOW, json))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).errors()).extracting("field")
                        .containsExactly("updates[0].options.callbackId", "updates[1].options.workflow",
                                "updates[2].nextAttemptAt", "updates[3].action"));
    }

    private static OperationUpdate update(String id, OperationType type, OperationAction action, Integer attempt,
            String payload, ErrorInfo error, Instant scheduledEndAt, Instant nextAttemptAt) {
        return new OperationUpdate(id, null, type, type.event(""), "op-" + id, action, attempt, payload, error,
                scheduledEndAt, nextAttemptAt);
    }
}
