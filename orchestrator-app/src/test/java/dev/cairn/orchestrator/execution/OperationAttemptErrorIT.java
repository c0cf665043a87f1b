package dev.cairn.orchestrator.execution;

import static dev.cairn.orchestrator.support.Updates.stepRetry;
import static dev.cairn.orchestrator.support.Updates.stepStart;
import static dev.cairn.orchestrator.support.Updates.stepSucceed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.ErrorInfo;
import dev.cairn.orchestrator.support.Api;
import dev.cairn.orchestrator.support.FakeWorker;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.OperationUpdate;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The operations API shows a step's error as {@code error} only when the step failed; a step that succeeded after a
 * failed attempt shows that attempt's error as {@code lastAttemptError}.
 */
class OperationAttemptErrorIT {

    private static final MutableClock clock = new MutableClock();
    private static TestDatabase db;
    private static RunningOrchestrator orchestrator;
    private static FakeWorker worker;
    private static Api api;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(OperationAttemptErrorIT.class);
        orchestrator = RunningOrchestrator.start(db, clock);
        api = new Api(orchestrator, JdbcClient.create(db.dataSource()));
        worker = FakeWorker.start("fake-attempts", orchestrator.baseUrl(), clock, 4,
                new WorkflowRef("flaky", "1"), new WorkflowRef("doomed", "1"));
        worker.script("flaky", calls -> {
            OperationRecord step = calls.op("1").orElse(null);
            if (step == null) {
                calls.checkpoint(stepStart("1", "charge", 1),
                        stepRetry("1", "charge", 1, "card service down", calls.now().plusSeconds(10)));
                calls.complete(InvocationOutcome.PENDING, null, null);
            } else if (step.status() == OperationStatus.READY) {
                calls.checkpoint(stepStart("1", "charge", 2), stepSucceed("1", "charge", 2, "\"charged\""));
                calls.complete(InvocationOutcome.SUCCEEDED, "\"charged\"", null);
            } else {
                calls.complete(InvocationOutcome.PENDING, null, null);
            }
        });
        worker.script("doomed", calls -> {
            ErrorInfo error = new ErrorInfo("java.lang.IllegalStateException", "card refused", null);
            calls.checkpoint(stepStart("1", "charge", 1), new OperationUpdate("1", null, OperationType.STEP, "Step",
                    "charge", OperationAction.FAIL, 1, null, error, null, null));
            calls.complete(InvocationOutcome.FAILED, null, error);
        });
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aStepThatSucceededAfterAFailedAttemptShowsThatAttemptsErrorAsLastAttemptError() {
        String id = api.start("flaky", "{\"input\":{}}");
        JsonNode waiting = api.awaitIdleWith(id, "1", "PENDING");
        assertThat(waiting.get("error").get("message").asString()).isEqualTo("card service down");

        clock.advance(Duration.ofSeconds(11));
        api.awaitStatus(id, "SUCCEEDED");

        JsonNode step = api.operation(id, "1").orElseThrow();
        assertThat(step.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(step.get("attempt").asInt()).isEqualTo(2);
        assertThat(step.get("result").asString()).isEqualTo("charged");
        assertThat(step.has("error")).as(step.toString()).isFalse();
        assertThat(step.get("lastAttemptError").get("message").asString()).isEqualTo("card service down");
        assertThat(step.get("lastAttemptError").get("type").asString()).isEqualTo("java.lang.IllegalStateException");
    }

    @Test
    void aStepThatFailedShowsItsErrorAsError() {
        String id = api.start("doomed", "{\"input\":{}}");
        api.awaitStatus(id, "FAILED");

        JsonNode step = api.operation(id, "1").orElseThrow();
        assertThat(step.get("status").asString()).isEqualTo("FAILED");
        assertThat(step.get("error").get("message").asString()).isEqualTo("card refused");
        assertThat(step.has("lastAttemptError")).isFalse();
    }
}
