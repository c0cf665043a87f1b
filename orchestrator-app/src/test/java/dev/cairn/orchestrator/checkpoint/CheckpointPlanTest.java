package dev.cairn.orchestrator.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.api.ErrorInfo;
import dev.cairn.orchestrator.api.InvalidRequestException;
import dev.cairn.orchestrator.json.PayloadJson;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.OperationUpdate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class CheckpointPlanTest {

    private static final Instant NOW = Instant.parse("2025-01-01T10:00:00Z");
    private final PayloadJson json = new PayloadJson(JsonMapper.builder().build());

    @Test
    void foldsStartAndSucceedOfOneStepIntoOneRowAndTwoEvents() {
        CheckpointPlan plan = CheckpointPlan.of(List.of(
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
    void aRetryRecordsTheErrorAndARetryTimer() {
        Instant next = NOW.plusSeconds(5);
        CheckpointPlan plan = CheckpointPlan.of(List.of(update("2", OperationType.STEP, OperationAction.RETRY, 3,
                null, new ErrorInfo("x.Boom", "boom", "{\"code\":7}"), null, next)), NOW, json);

        assertThat(plan.operations().get(0).status()).isEqualTo("PENDING");
        assertThat(plan.operations().get(0).nextAttemptAt()).isEqualTo(next);
        assertThat(plan.events().get(0).type()).isEqualTo("StepFailed");
        assertThat(plan.events().get(0).details()).isEqualTo("{\"attempt\":3,\"error\":{\"type\":\"x.Boom\","
                + "\"message\":\"boom\",\"data\":{\"code\":7}},\"nextAttemptAt\":\"2025-01-01T10:00:05Z\"}");
        assertThat(plan.timerUpserts()).containsExactly(new TimerRow("2", "RETRY", next));
    }

    @Test
    void aWaitStartedAndSucceededInOneRequestLeavesNoTimer() {
        Instant until = NOW.minusSeconds(1);
        CheckpointPlan plan = CheckpointPlan.of(List.of(
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
        CheckpointPlan plan = CheckpointPlan.of(List.of(update("4", OperationType.CONTEXT, OperationAction.FAIL, null,
                null, new ErrorInfo("x.Boom", null, "not json"), null, null)), NOW, json);

        assertThat(plan.operations().get(0).error()).isEqualTo("{\"type\":\"x.Boom\",\"data\":\"not json\"}");
        assertThat(plan.events().get(0).type()).isEqualTo("ContextFailed");
    }

    @Test
    void rejectsUpdatesTheProtocolDoesNotDefine() {
        assertThatThrownBy(() -> CheckpointPlan.of(List.of(
                update("1", OperationType.WAIT, OperationAction.RETRY, null, null, null, null, null),
                update("2", OperationType.WAIT, OperationAction.START, null, null, null, null, null),
                update("3", OperationType.EXECUTION, OperationAction.SUCCEED, null, null, null, null, null)), NOW, json))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).errors()).extracting("field")
                        .containsExactly("updates[0].action", "updates[0].nextAttemptAt", "updates[1].scheduledEndAt",
                                "updates[2].type"));
    }

    private static OperationUpdate update(String id, OperationType type, OperationAction action, Integer attempt,
            String payload, ErrorInfo error, Instant scheduledEndAt, Instant nextAttemptAt) {
        return new OperationUpdate(id, null, type, type.event(""), "op-" + id, action, attempt, payload, error,
                scheduledEndAt, nextAttemptAt);
    }
}
