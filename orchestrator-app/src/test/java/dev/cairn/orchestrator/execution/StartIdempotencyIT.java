package dev.cairn.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.orchestrator.OrchestratorProperties;
import dev.cairn.orchestrator.dispatch.InvocationDispatcher;
import dev.cairn.orchestrator.json.PayloadJson;
import dev.cairn.orchestrator.ledger.Ledger;
import dev.cairn.orchestrator.ledger.NewExecution;
import dev.cairn.orchestrator.ledger.StartClaim;
import dev.cairn.orchestrator.ledger.Started;
import dev.cairn.orchestrator.notify.ClosedExecutions;
import dev.cairn.orchestrator.notify.Wakeups;
import dev.cairn.orchestrator.support.Http;
import dev.cairn.orchestrator.support.Ledgers;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.OpenTransaction;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.orchestrator.worker.WorkflowCatalog;
import dev.cairn.protocol.WorkerRegistration;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A start with an {@code executionName}, sent twice, at once, or again after its execution ended: one execution,
 * one {@code ExecutionStarted}, one timeout timer, and every answer names it. Concurrent starts are set up by
 * holding the first one's transaction open at its insert while the second runs.
 */
class StartIdempotencyIT {

    /**
     * The start statement's insert, as PostgreSQL shows it while it waits on a name another transaction holds (within
     * the first 1,024 characters, all that {@code pg_stat_activity} keeps of a statement).
     */
    private static final String START_INSERT = "insert into executions (execution_id, workflow, version, execution_name";
    private static final MutableClock clock = new MutableClock();
    private static final Http http = new Http();
    private static final ExecutorService requests = Executors.newCachedThreadPool();
    private static TestDatabase db;
    private static RunningOrchestrator orchestrator;
    private static JdbcClient sql;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(StartIdempotencyIT.class);
        sql = JdbcClient.create(db.dataSource());
        orchestrator = RunningOrchestrator.start(db, clock);
        Http.Response registered = http.post(orchestrator.url("/v1/workers/register"), new WorkerRegistration(
                "start-worker", "http://127.0.0.1:9", 4, List.of(new WorkflowRef("greeter", "1"))));
        assertThat(registered.status()).isEqualTo(200);
        // no live worker: nothing is dispatched, executions stay as started
        sql.sql("update workers set last_heartbeat_at = now() - interval '1 day'").update();
    }

    @AfterAll
    static void stop() {
        requests.shutdownNow();
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theSameStartSentTwiceMakesOneExecutionWithOneStartedEventAndOneTimer() {
        String body = "{\"input\":{\"name\":\"Ada\"},\"executionName\":\"twice\",\"timeoutSeconds\":60}";
        Http.Response first = start(body);
        Map<String, Long> before = counts();

        Http.Response again = start(body);
        Http.Response otherFields = start("{\"input\":{\"name\":\"Ada\"},\"executionName\":\"twice\","
                + "\"timeoutSeconds\":3600,\"retentionDays\":1}");

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(otherFields.status()).isEqualTo(200);
        assertThat(otherFields.json()).isEqualTo(first.json());
        assertThat(counts()).isEqualTo(before);
        assertOneExecutionNamed("twice", first.json().get("executionId").asString());
    }

    @Test
    void theSameStartSentTwiceAtOnceMakesOneExecutionAndBothAnswersNameIt() throws Exception {
        Future<Http.Response> second;
        StartResult first;
        try (OpenTransaction held = OpenTransaction.begin(db.dataSource())) {
            first = serviceOn(held.jdbc()).start("greeter",
                    request("{\"input\":[1,2],\"executionName\":\"at-once\",\"timeoutSeconds\":60}"));
            second = requests.submit(() -> start(
                    "{\"executionName\":\"at-once\",\"input\":[1,2],\"timeoutSeconds\":60}"));
            held.awaitBlocking(START_INSERT);
            held.commit();
        }

        Http.Response answer = second.get(20, TimeUnit.SECONDS);

        assertThat(first.created()).isTrue();
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        String id = first.execution().executionId().toString();
        assertThat(answer.json().get("executionId").asString()).isEqualTo(id);
        assertOneExecutionNamed("at-once", id);
    }

    @Test
    void aStartWaitingOnAnotherThatRollsBackStartsItsOwnExecution() throws Exception {
        Future<Http.Response> second;
        StartResult first;
        try (OpenTransaction held = OpenTransaction.begin(db.dataSource())) {
            first = serviceOn(held.jdbc()).start("greeter",
                    request("{\"input\":\"x\",\"executionName\":\"undone\",\"timeoutSeconds\":60}"));
            second = requests.submit(() -> start(
                    "{\"input\":\"x\",\"executionName\":\"undone\",\"timeoutSeconds\":60}"));
            held.awaitBlocking(START_INSERT);
            held.rollback();
        }

        Http.Response answer = second.get(20, TimeUnit.SECONDS);

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        String id = answer.json().get("executionId").asString();
        assertThat(id).isNotEqualTo(first.execution().executionId().toString());
        assertOneExecutionNamed("undone", id);
    }

    @Test
    void aStartWithOtherInputWaitingOnTheFirstIsAConflict() throws Exception {
        Future<Http.Response> second;
        StartResult first;
        try (OpenTransaction held = OpenTransaction.begin(db.dataSource())) {
            first = serviceOn(held.jdbc()).start("greeter",
                    request("{\"input\":\"mine\",\"executionName\":\"contested\"}"));
            second = requests.submit(() -> start("{\"input\":\"yours\",\"executionName\":\"contested\"}"));
            held.awaitBlocking(START_INSERT);
            held.commit();
        }

        Http.Response answer = second.get(20, TimeUnit.SECONDS);

        assertThat(answer.status()).as(answer.body()).isEqualTo(409);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(sql.sql("select execution_id::text from executions where execution_name = 'contested'")
                .query(String.class).list()).containsExactly(first.execution().executionId().toString());
    }

    @Test
    void theSameStartSentAgainAfterItsExecutionEndedAnswersTheEndedExecutionAndChangesNothing() {
        String body = "{\"input\":{\"n\":1},\"executionName\":\"ended\",\"timeoutSeconds\":60}";
        String id = start(body).json().get("executionId").asString();
        Http.Response stopped = http.post(orchestrator.url("/v1/executions/" + id + "/stop"), "application/json", "{}");
        assertThat(stopped.status()).isEqualTo(200);
        Map<String, Long> before = counts();

        Http.Response again = start(body);

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(stopped.json());
        assertThat(again.json().get("status").asString()).isEqualTo("STOPPED");
        assertThat(counts()).isEqualTo(before);
        assertThat(start("{\"input\":{\"n\":2},\"executionName\":\"ended\"}").status()).isEqualTo(409);
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void aStartWhoseNamesakeIsRemovedByRetentionBeforeItIsReadStartsItsOwnExecution() {
        String body = "{\"input\":\"old\",\"executionName\":\"expiring\",\"retentionDays\":1}";
        String old = start(body).json().get("executionId").asString();
        assertThat(http.post(orchestrator.url("/v1/executions/" + old + "/stop"), "application/json", "{}").status())
                .isEqualTo(200);
        Ledger retention = Ledgers.on(sql);
        Ledger store = new Ledger(JdbcClient.create(db.dataSource()), new TransactionTemplate(),
                orchestrator.context().getBean(PayloadJson.class)) {
            @Override
            public Started start(NewExecution execution, StartClaim claim) {
                Started started = super.start(execution, claim);
                if (!started.inserted()) {
                    // the name was taken when the insert ran; retention removes its holder before the lookup
                    retention.deleteExpired(clock.instant().plus(Duration.ofDays(2)), 100);
                }
                return started;
            }
        };

        StartResult result = serviceOn(store).start("greeter", request(body));

        assertThat(result.created()).isTrue();
        assertOneExecutionNamed("expiring", result.execution().executionId().toString(), false);
    }

    @Test
    void startsWithoutANameAreNewExecutionsEachTime() {
        String body = "{\"input\":{\"same\":true}}";

        Http.Response first = start(body);
        Http.Response second = start(body);

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.json().get("executionId")).isNotEqualTo(first.json().get("executionId"));
    }

    /** The service a request uses, writing through {@code jdbc} (a transaction the test holds open). */
    private static ExecutionService serviceOn(JdbcClient jdbc) {
        return serviceOn(Ledgers.on(jdbc), new ExecutionStore(jdbc));
    }

    private static ExecutionService serviceOn(Ledger ledger) {
        return serviceOn(ledger, orchestrator.context().getBean(ExecutionStore.class));
    }

    private static ExecutionService serviceOn(Ledger ledger, ExecutionStore reads) {
        ApplicationContext context = orchestrator.context();
        return new ExecutionService(ledger, reads,
                context.getBean(WorkflowCatalog.class), context.getBean(PayloadJson.class),
                context.getBean(Wakeups.class), context.getBean(ClosedExecutions.class),
                context.getBean(InvocationDispatcher.class), context.getBean(OrchestratorProperties.class), clock);
    }

    private static void assertOneExecutionNamed(String name, String id) {
        assertOneExecutionNamed(name, id, true);
    }

    private static void assertOneExecutionNamed(String name, String id, boolean withTimeout) {
        assertThat(sql.sql("select execution_id::text from executions where execution_name = ?").param(name)
                .query(String.class).list()).containsExactly(id);
        assertThat(sql.sql("select type from history_events where execution_id = ?::uuid").param(id)
                .query(String.class).list()).containsExactly("ExecutionStarted");
        assertThat(sql.sql("select kind from timers where execution_id = ?::uuid").param(id)
                .query(String.class).list()).isEqualTo(withTimeout ? List.of("EXECUTION_TIMEOUT") : List.of());
    }

    private static StartRequest request(String body) {
        return StartRequest.of(Http.JSON.readTree(body));
    }

    private static Http.Response start(String body) {
        return http.post(orchestrator.url("/v1/workflows/greeter/executions"), "application/json", body);
    }

    private static Map<String, Long> counts() {
        return Map.of(
                "executions", count("executions"),
                "operations", count("operations"),
                "history_events", count("history_events"),
                "timers", count("timers"));
    }

    private static long count(String table) {
        return sql.sql("select count(*) from " + table).query(Long.class).single();
    }
}
