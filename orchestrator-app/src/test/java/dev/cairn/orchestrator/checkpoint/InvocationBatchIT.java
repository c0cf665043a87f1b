package dev.cairn.orchestrator.checkpoint;

import static dev.cairn.orchestrator.support.Updates.callbackStart;
import static dev.cairn.orchestrator.support.Updates.stepStart;
import static dev.cairn.orchestrator.support.Updates.stepSucceed;
import static dev.cairn.orchestrator.support.Updates.waitStart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.orchestrator.support.Http;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.InvocationBatch;
import dev.cairn.protocol.InvocationBatchResponse;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationUpdate;
import dev.cairn.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code POST /v1/invocations/batch}: checkpoints and completions of several invocations in one request, each item
 * answered as its own endpoint would answer it, the valid ones written together (one transaction).
 */
class InvocationBatchIT {

    private static final String WORKER = "batch-worker-token";
    private static final String READ = "batch-read-token";
    private static final int MAX_ITEMS = 5;
    private static final int WORKER_REQUEST_LIMIT = 8 * 1024;
    private static final Http worker = new Http(WORKER);

    private static TestDatabase db;
    private static RunningOrchestrator orchestrator;
    private static JdbcClient sql;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(InvocationBatchIT.class);
        sql = JdbcClient.create(db.dataSource());
        orchestrator = RunningOrchestrator.start(db, new MutableClock(), "cairn.security.open=false",
                "cairn.security.tokens[0].name=workers", "cairn.security.tokens[0].secret={noop}" + WORKER,
                "cairn.security.tokens[0].roles=worker",
                "cairn.security.tokens[1].name=dashboard", "cairn.security.tokens[1].secret={noop}" + READ,
                "cairn.security.tokens[1].roles=read",
                "cairn.orchestrator.max-batch-items=" + MAX_ITEMS,
                "cairn.orchestrator.worker-request-limit=" + WORKER_REQUEST_LIMIT + "B");
    }

    @AfterAll
    static void stop() {
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void writesCheckpointsOfTwoExecutionsAndACompletionOfAThirdTogetherAndAnswersInOrder() {
        Running first = running("batch-first");
        Running second = running("batch-second");
        Running third = running("batch-third");
        double completedBefore = counter("cairn.invocations", "workflow", "batch-third", "outcome", "SUCCEEDED");
        long checkpointsBefore = latencyCount("checkpoint");
        long completionsBefore = latencyCount("complete");

        Http.Response r = post(new InvocationBatch(List.of(
                InvocationBatch.Item.of(checkpoint(first, stepStart("1", "a", 1), stepSucceed("1", "a", 1, "1"))),
                InvocationBatch.Item.of(checkpoint(second, stepStart("1", "b", 1))),
                InvocationBatch.Item.of(new CompletionRequest(third.id.toString(), third.token.toString(),
                        InvocationOutcome.SUCCEEDED, "\"done\"", null, List.of(stepStart("1", "c", 1),
                        stepSucceed("1", "c", 1, "3")), Instant.now(), Instant.now())))));

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(results(r)).containsExactly(InvocationBatchResponse.Result.OK, InvocationBatchResponse.Result.OK,
                InvocationBatchResponse.Result.OK);
        assertThat(r.json().get("results").get(0).has("title")).as("nothing but the status on success").isFalse();
        assertThat(operations(first.id)).containsExactly("1:SUCCEEDED");
        assertThat(operations(second.id)).containsExactly("1:STARTED");
        assertThat(operations(third.id)).containsExactly("1:SUCCEEDED");
        assertThat(leaseExtended(first.id)).isTrue();
        assertThat(leaseExtended(second.id)).isTrue();
        assertThat(status(third.id)).isEqualTo("SUCCEEDED");
        assertThat(history(third.id)).contains("InvocationCompleted", "ExecutionSucceeded");
        // one transaction wrote the three
        assertThat(List.of(xmin(first.id), xmin(second.id), xmin(third.id)).stream().distinct()).hasSize(1);
        // counted as the single endpoints count them
        assertThat(counter("cairn.invocations", "workflow", "batch-third", "outcome", "SUCCEEDED") - completedBefore)
                .isEqualTo(1.0);
        assertThat(latencyCount("checkpoint") - checkpointsBefore).isEqualTo(2);
        assertThat(latencyCount("complete") - completionsBefore).isEqualTo(1);
    }

    @Test
    void aFencedItemGets409AndTheOthersAreWritten() {
        Running fenced = running("batch-fenced");
        Running ok = running("batch-ok");
        Running closed = running("batch-closed");
        sql.sql("update executions set status = 'SUCCEEDED', ended_at = now(), invocation_token = null "
                + "where execution_id = ?").param(closed.id).update();
        Map<String, Object> fencedBefore = snapshot(fenced.id);

        Http.Response r = post(new InvocationBatch(List.of(
                InvocationBatch.Item.of(new CheckpointRequest(fenced.id.toString(), UUID.randomUUID().toString(),
                        List.of(stepStart("1", "stale", 1)))),
                InvocationBatch.Item.of(checkpoint(ok, stepStart("1", "fresh", 1))),
                InvocationBatch.Item.of(new CompletionRequest(closed.id.toString(), closed.token.toString(),
                        InvocationOutcome.PENDING, null, null, List.of(), null, null)),
                InvocationBatch.Item.of(new CheckpointRequest(fenced.id.toString(), "not-a-uuid", List.of())))));

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<InvocationBatchResponse.Result> results = results(r);
        assertThat(results).extracting(InvocationBatchResponse.Result::status).containsExactly(409, 200, 409, 409);
        assertThat(results.get(0).title()).isEqualTo("Invocation fenced");
        assertThat(results.get(0).detail()).contains(fenced.id.toString()).contains("abandon the invocation");
        assertThat(results.get(2).detail()).contains(closed.id.toString());
        assertThat(snapshot(fenced.id)).isEqualTo(fencedBefore);
        assertThat(operations(ok.id)).containsExactly("1:STARTED");
        assertThat(history(closed.id)).doesNotContain("InvocationCompleted");
    }

    @Test
    void anInvalidItemGets400NamingWhatIsWrongAndNothingOfItIsWritten() {
        Running invalid = running("batch-invalid");
        Running ok = running("batch-valid");
        Map<String, Object> invalidBefore = snapshot(invalid.id);

        Http.Response r = post(new InvocationBatch(List.of(
                InvocationBatch.Item.of(checkpoint(ok, stepStart("1", "fine", 1))),
                InvocationBatch.Item.of(new CheckpointRequest(null, invalid.token.toString(),
                        List.of(stepStart("1", "orphan", 1)))),
                InvocationBatch.Item.of(checkpoint(invalid, stepStart("1", "fine", 1),
                        waitStart("2", "no end", null))),
                new InvocationBatch.Item(null, null),
                new InvocationBatch.Item(checkpoint(invalid, stepStart("1", "twice", 1)),
                        new CompletionRequest(invalid.id.toString(), invalid.token.toString(),
                                InvocationOutcome.PENDING, null, null, List.of(), null, null)))));

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<InvocationBatchResponse.Result> results = results(r);
        assertThat(results).extracting(InvocationBatchResponse.Result::status).containsExactly(200, 400, 400, 400, 400);
        assertThat(results.get(1).title()).isEqualTo("Invalid request");
        assertThat(results.get(1).detail()).isEqualTo("items[1].checkpoint.executionId: is required");
        assertThat(results.get(2).detail())
                .isEqualTo("items[2].checkpoint.updates[1].scheduledEndAt: is required to START a WAIT");
        assertThat(results.get(3).detail()).isEqualTo("items[3]: must hold exactly one of 'checkpoint' and "
                + "'completion'");
        assertThat(results.get(4).detail()).startsWith("items[4]: ");
        assertThat(snapshot(invalid.id)).isEqualTo(invalidBefore);
        assertThat(operations(ok.id)).containsExactly("1:STARTED");
    }

    @Test
    void malformedTooLargeAndNonUnicodeItemsGetTheAnswersOfTheirOwnEndpointsAndTheGoodOnesAreWritten() {
        Running first = running("batch-good-first");
        Running malformed = running("batch-malformed-item");
        Running large = running("batch-large-item");
        Running lone = running("batch-lone-surrogate");
        Running last = running("batch-good-last");
        Map<String, Object> largeBefore = snapshot(large.id);
        Map<String, Object> loneBefore = snapshot(lone.id);
        String tooLarge = Http.JSON.writeValueAsString(checkpoint(large, stepStart("1", "big", 1),
                stepSucceed("1", "big", 1, "\"" + "x".repeat(WORKER_REQUEST_LIMIT) + "\"")));
        String body = "{\"items\":["
                + "{\"checkpoint\":" + Http.JSON.writeValueAsString(checkpoint(first, stepStart("1", "a", 1))) + "},"
                + "{\"checkpoint\":{\"executionId\":\"" + malformed.id + "\",\"updates\":7}},"
                + "{\"checkpoint\":" + tooLarge + "},"
                + "{\"checkpoint\":{\"executionId\":\"" + lone.id + "\",\"invocationToken\":\"" + lone.token
                + "\",\"updates\":[{\"id\":\"1\",\"type\":\"STEP\",\"action\":\"START\",\"name\":\"\\ud800\","
                + "\"attempt\":1}]}},"
                + "{\"checkpoint\":" + Http.JSON.writeValueAsString(checkpoint(last, stepStart("1", "z", 1))) + "}]}";
        assertThat(body.length()).as("over the limit of one request, within that of a batch")
                .isBetween(WORKER_REQUEST_LIMIT, 2 * WORKER_REQUEST_LIMIT);

        Http.Response r = worker.post(orchestrator.url("/v1/invocations/batch"), "application/json", body);

        List<InvocationBatchResponse.Result> results = results(r);
        assertThat(results).extracting(InvocationBatchResponse.Result::status).containsExactly(200, 400, 413, 400, 200);
        assertThat(results.get(1).detail()).startsWith("items[1]").contains("'checkpoint.updates'");
        assertThat(results.get(2).title()).isEqualTo("Payload too large");
        assertThat(results.get(2).detail()).startsWith("items[2]").contains(String.valueOf(WORKER_REQUEST_LIMIT));
        assertThat(results.get(3).detail()).startsWith("items[3].checkpoint.updates[0].name").contains("surrogate");
        assertThat(operations(first.id)).containsExactly("1:STARTED");
        assertThat(operations(last.id)).containsExactly("1:STARTED");
        assertThat(operations(malformed.id)).isEmpty();
        assertThat(snapshot(large.id)).isEqualTo(largeBefore);
        assertThat(snapshot(lone.id)).isEqualTo(loneBefore);
    }

    @Test
    void aBatchOverTwiceTheLimitOfOneRequestIsRefusedWhole() {
        Running e = running("batch-huge");
        String huge = Http.JSON.writeValueAsString(checkpoint(e, stepStart("1", "huge", 1),
                stepSucceed("1", "huge", 1, "\"" + "x".repeat(2 * WORKER_REQUEST_LIMIT) + "\"")));

        Http.Response r = worker.post(orchestrator.url("/v1/invocations/batch"), "application/json",
                "{\"items\":[{\"checkpoint\":" + huge + "}]}");

        assertThat(r.status()).isEqualTo(413);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(operations(e.id)).isEmpty();
    }

    @Test
    void anItemWhoseStatementFailsGets500AndTheOthersAreWritten() {
        Running holder = running("batch-holder");
        Running duplicate = running("batch-duplicate");
        Running ok = running("batch-after-failure");
        String callbackId = "cb-" + UUID.randomUUID();
        assertThat(results(post(new InvocationBatch(List.of(InvocationBatch.Item.of(checkpoint(holder,
                callbackStart("1", null, "approval", callbackId, Duration.ofHours(1), null))))))))
                .containsExactly(InvocationBatchResponse.Result.OK);
        Map<String, Object> duplicateBefore = snapshot(duplicate.id);

        // a callback id is unique: the second START of it fails in the database
        Http.Response r = post(new InvocationBatch(List.of(
                InvocationBatch.Item.of(checkpoint(duplicate, callbackStart("1", null, "approval", callbackId,
                        Duration.ofHours(1), null))),
                InvocationBatch.Item.of(checkpoint(ok, stepStart("1", "after", 1))))));

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<InvocationBatchResponse.Result> results = results(r);
        assertThat(results).extracting(InvocationBatchResponse.Result::status).containsExactly(500, 200);
        assertThat(results.get(0).detail()).isEqualTo("unexpected error");
        assertThat(snapshot(duplicate.id)).isEqualTo(duplicateBefore);
        assertThat(operations(ok.id)).containsExactly("1:STARTED");
    }

    @Test
    void anEmptyBatchIsAnsweredWithNoResults() {
        Http.Response empty = worker.post(orchestrator.url("/v1/invocations/batch"), "application/json",
                "{\"items\":[]}");
        Http.Response absent = worker.post(orchestrator.url("/v1/invocations/batch"), "application/json", "{}");

        assertThat(empty.status()).as(empty.body()).isEqualTo(200);
        assertThat(results(empty)).isEmpty();
        assertThat(absent.status()).as(absent.body()).isEqualTo(200);
        assertThat(results(absent)).isEmpty();
    }

    @Test
    void aBodyThatIsNotABatchIsRefusedWholeAndWritesNothing() {
        Running e = running("batch-malformed");
        Map<String, Object> before = snapshot(e.id);
        String item = "{\"checkpoint\":" + Http.JSON.writeValueAsString(checkpoint(e, stepStart("1", "x", 1))) + "}";

        for (String body : List.of("{\"items\":[" + item + ",", "[" + item + "]", "{\"items\":{\"a\":1}}", "",
                "null")) {
            Http.Response r = worker.post(orchestrator.url("/v1/invocations/batch"), "application/json", body);

            assertThat(r.status()).as(body + " → " + r.body()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("status").asInt()).isEqualTo(400);
            assertThat(r.json().get("detail").asString()).as(body).contains("body");
        }
        Http.Response text = worker.post(orchestrator.url("/v1/invocations/batch"), "text/plain", "{\"items\":[]}");
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.contentType()).startsWith("application/problem+json");
        assertThat(snapshot(e.id)).isEqualTo(before);
    }

    @Test
    void moreItemsThanTheLimitAreRefusedWholeAndWriteNothing() {
        List<Running> executions = new ArrayList<>();
        List<InvocationBatch.Item> items = new ArrayList<>();
        for (int i = 0; i <= MAX_ITEMS; i++) {
            Running e = running("batch-limit");
            executions.add(e);
            items.add(InvocationBatch.Item.of(checkpoint(e, stepStart("1", "x", 1))));
        }

        Http.Response r = post(new InvocationBatch(items));

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("detail").asString()).isEqualTo("items: must hold at most " + MAX_ITEMS
                + " items (cairn.orchestrator.max-batch-items), got " + (MAX_ITEMS + 1));
        assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("items");
        for (Running e : executions) {
            assertThat(operations(e.id)).isEmpty();
        }
    }

    @Test
    void readsABodyInTheCharsetItsContentTypeNames() {
        Running e = running("batch-latin1");
        String body = Http.JSON.writeValueAsString(new InvocationBatch(List.of(
                InvocationBatch.Item.of(checkpoint(e, stepStart("1", "café", 1))))));

        Http.Response r = worker.post(orchestrator.url("/v1/invocations/batch"), "application/json; charset=ISO-8859-1",
                body.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        assertThat(results(r)).containsExactly(InvocationBatchResponse.Result.OK);
        assertThat(sql.sql("select name from operations where execution_id = ?").param(e.id).query(String.class)
                .single()).isEqualTo("café");
    }

    @Test
    void needsATokenWithTheWorkerRole() {
        Running e = running("batch-secured");
        String body = Http.JSON.writeValueAsString(new InvocationBatch(List.of(
                InvocationBatch.Item.of(checkpoint(e, stepStart("1", "x", 1))))));

        Http.Response anonymous = new Http().post(orchestrator.url("/v1/invocations/batch"), "application/json", body);
        Http.Response reader = new Http(READ).post(orchestrator.url("/v1/invocations/batch"), "application/json", body);

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).startsWith("application/problem+json");
        assertThat(reader.status()).isEqualTo(403);
        assertThat(reader.json().get("detail").asString()).contains("'worker'");
        assertThat(operations(e.id)).isEmpty();
    }

    private record Running(UUID id, UUID token) {
    }

    private static Running running(String workflow) {
        Running e = new Running(UUID.randomUUID(), UUID.randomUUID());
        sql.sql("""
                insert into executions (execution_id, workflow, version, status, started_at, invocation_token,
                                        lease_expires_at, invocation_started_at, worker_id)
                values (?, ?, '1', 'RUNNING', now(), ?, now() + interval '10 seconds', now(), 'w')
                """).params(e.id, workflow, e.token).update();
        return e;
    }

    private static CheckpointRequest checkpoint(Running e, OperationUpdate... updates) {
        return new CheckpointRequest(e.id.toString(), e.token.toString(), List.of(updates));
    }

    private static Http.Response post(InvocationBatch batch) {
        return worker.post(orchestrator.url("/v1/invocations/batch"), batch);
    }

    private static List<InvocationBatchResponse.Result> results(Http.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return Http.JSON.readValue(r.body(), InvocationBatchResponse.class).results();
    }

    private static List<String> operations(UUID id) {
        return sql.sql("select operation_id || ':' || status from operations where execution_id = ? "
                + "order by operation_id").param(id).query(String.class).list();
    }

    private static List<String> history(UUID id) {
        return sql.sql("select type from history_events where execution_id = ? order by event_id").param(id)
                .query(String.class).list();
    }

    private static String status(UUID id) {
        return sql.sql("select status from executions where execution_id = ?").param(id).query(String.class)
                .single();
    }

    private static boolean leaseExtended(UUID id) {
        return sql.sql("select lease_expires_at > now() + interval '20 seconds' from executions "
                + "where execution_id = ?").param(id).query(Boolean.class).single();
    }

    private static String xmin(UUID id) {
        return sql.sql("select xmin::text from executions where execution_id = ?").param(id).query(String.class)
                .single();
    }

    /** Everything a checkpoint or completion of the execution may change. */
    private static Map<String, Object> snapshot(UUID id) {
        Map<String, Object> s = new TreeMap<>();
        s.put("execution", sql.sql("select status || ':' || coalesce(invocation_token::text, '-') || ':' || "
                + "coalesce(lease_expires_at::text, '-') || ':' || coalesce(ready_at::text, '-') from executions "
                + "where execution_id = ?").param(id).query(String.class).single());
        s.put("operations", operations(id));
        s.put("history", history(id));
        s.put("timers", sql.sql("select timer_id from timers where execution_id = ? order by timer_id").param(id)
                .query(String.class).list());
        return s;
    }

    private static double counter(String name, String... tags) {
        var counter = registry().find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private static long latencyCount(String request) {
        var timer = registry().find("cairn.checkpoint.latency").tag("request", request).timer();
        return timer == null ? 0 : timer.count();
    }

    private static MeterRegistry registry() {
        return orchestrator.context().getBean(MeterRegistry.class);
    }
}
