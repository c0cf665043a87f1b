package dev.cairn.orchestrator.execution;

import static dev.cairn.orchestrator.support.Updates.stepRetry;
import static dev.cairn.orchestrator.support.Updates.stepStart;
import static dev.cairn.orchestrator.support.Updates.stepSucceed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.orchestrator.support.Api;
import dev.cairn.orchestrator.support.FakeWorker;
import dev.cairn.orchestrator.support.Http;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A step whose START and result travel together after its body ran starts when the worker says the body began, so
 * the operations API and the console's timeline show how long the body ran.
 */
class StepDurationIT {

    private static final MutableClock clock = new MutableClock();
    private static final Map<String, Instant> bodyBegan = new ConcurrentHashMap<>();
    private static TestDatabase db;
    private static RunningOrchestrator orchestrator;
    private static FakeWorker worker;
    private static Api api;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(StepDurationIT.class);
        orchestrator = RunningOrchestrator.start(db, clock);
        api = new Api(orchestrator, JdbcClient.create(db.dataSource()));
        worker = FakeWorker.start("fake-durations", orchestrator.baseUrl(), clock, 4,
                new WorkflowRef("slow-charge", "1"), new WorkflowRef("flaky-charge", "1"),
                new WorkflowRef("skewed-charge", "1"));
        worker.script("slow-charge", calls -> {
            Instant began = calls.now().truncatedTo(ChronoUnit.MICROS);
            bodyBegan.put(calls.invocation().executionId(), began);
            clock.advance(Duration.ofMillis(1500));
            calls.checkpoint(stepStart("1", "charge", 1), stepSucceed("1", "charge", 1, "\"charged\"")
                    .withStartedAt(began));
            calls.complete(InvocationOutcome.SUCCEEDED, "\"charged\"", null);
        });
        worker.script("flaky-charge", calls -> {
            OperationRecord step = calls.op("1").orElse(null);
            Instant began = calls.now().truncatedTo(ChronoUnit.MICROS);
            if (step == null) {
                bodyBegan.put(calls.invocation().executionId(), began);
                clock.advance(Duration.ofMillis(700));
                calls.checkpoint(stepStart("1", "charge", 1), stepRetry("1", "charge", 1, "card service down",
                        calls.now().plusSeconds(10)).withStartedAt(began));
                calls.complete(InvocationOutcome.PENDING, null, null);
            } else if (step.status() == OperationStatus.READY) {
                calls.checkpoint(stepStart("1", "charge", 2), stepSucceed("1", "charge", 2, "\"charged\"")
                        .withStartedAt(began));
                calls.complete(InvocationOutcome.SUCCEEDED, "\"charged\"", null);
            } else {
                calls.complete(InvocationOutcome.PENDING, null, null);
            }
        });
        worker.script("skewed-charge", calls -> {
            calls.checkpoint(stepStart("1", "charge", 1), stepSucceed("1", "charge", 1, "\"charged\"")
                    .withStartedAt(calls.now().plusSeconds(30)));
            calls.complete(InvocationOutcome.SUCCEEDED, "\"charged\"", null);
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
    void aStepStartsWhenItsBodyBeganAndEndsWhenItsResultArrived() {
        String id = api.start("slow-charge", "{\"input\":{}}");
        api.awaitStatus(id, "SUCCEEDED");

        JsonNode step = api.operation(id, "1").orElseThrow();
        Instant startedAt = Instant.parse(step.get("startedAt").asString());
        Instant endedAt = Instant.parse(step.get("endedAt").asString());
        assertThat(startedAt).isEqualTo(bodyBegan.get(id));
        assertThat(Duration.between(startedAt, endedAt)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void theConsoleTimelineShowsHowLongTheBodyRan() {
        String id = api.start("slow-charge", "{\"input\":{}}");
        api.awaitStatus(id, "SUCCEEDED");

        Http.Response page = api.http().get(api.url("/console/executions/" + id));

        assertThat(page.status()).as(page.body()).isEqualTo(200);
        // the body ran 1.5 s by the shared clock, plus the little real time the request took
        assertThat(page.body()).containsPattern("charge \\(Step\\): SUCCEEDED, \\d(\\.\\d)? s");
    }

    @Test
    void aRetriedStepKeepsTheStartOfItsFirstAttempt() {
        String id = api.start("flaky-charge", "{\"input\":{}}");
        api.awaitIdleWith(id, "1", "PENDING");
        clock.advance(Duration.ofSeconds(11));
        api.awaitStatus(id, "SUCCEEDED");

        JsonNode step = api.operation(id, "1").orElseThrow();
        assertThat(Instant.parse(step.get("startedAt").asString())).isEqualTo(bodyBegan.get(id));
        assertThat(step.get("attempt").asInt()).isEqualTo(2);
    }

    @Test
    void aStartTimeAheadOfTheOrchestratorsClockIsRecordedAsTheTimeTheResultArrived() {
        String id = api.start("skewed-charge", "{\"input\":{}}");
        api.awaitStatus(id, "SUCCEEDED");

        JsonNode step = api.operation(id, "1").orElseThrow();
        assertThat(step.get("startedAt").asString()).isEqualTo(step.get("endedAt").asString());
    }
}
