package dev.cairn.orchestrator.checkpoint;

import static dev.cairn.orchestrator.support.Updates.stepStart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.orchestrator.commit.GroupCommit;
import dev.cairn.orchestrator.ledger.CheckpointStore;
import dev.cairn.orchestrator.support.Http;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Every wait on the checkpoint path is bounded: a checkpoint held in its writer's transaction (its statement waits
 * for a row lock taken by another connection) makes later checkpoints fail with a retriable 503 once the writer wait
 * is over, and readiness DOWN until it returns; a statement blocked longer than the statement timeout fails.
 */
class CheckpointTimeoutsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Http http = new Http();
    private static final UUID TOKEN = UUID.randomUUID();

    private static TestDatabase db;
    private static DataSource dataSource;
    private static JdbcClient sql;
    private static RunningOrchestrator orchestrator;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(CheckpointTimeoutsIT.class);
        dataSource = db.dataSource();
        sql = JdbcClient.create(dataSource);
        orchestrator = RunningOrchestrator.start(db, new MutableClock(),
                "cairn.orchestrator.checkpoint-writer-wait=300ms",
                "cairn.orchestrator.checkpoint-stall-threshold=300ms");
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
    void aHangingWriteMakesLaterCheckpointsFailWith503AndReadinessDownUntilItReturns() throws Exception {
        GroupCommit group = orchestrator.context().getBean(CheckpointStore.class).groupCommit();
        String held = running("held");
        String later = running("later");
        assertThat(readiness().get("status").asString()).isEqualTo("UP");

        try (Connection lock = holdRowLock(held)) {
            CompletableFuture<Http.Response> first = CompletableFuture.supplyAsync(() -> checkpoint(held));
            await().atMost(PATIENCE).until(() -> group.writing() == 1 && waitingForLock());

            Http.Response refused = checkpoint(later);
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().get("detail").asString()).contains("no checkpoint writer became free");
            assertThat(operations(later)).isZero();

            await().atMost(PATIENCE).until(() -> "DOWN".equals(readiness().get("status").asString()));
            assertThat(readiness().get("components").get("checkpointWrites").get("status").asString())
                    .isEqualTo("DOWN");
            assertThat(liveness().get("status").asString()).isEqualTo("UP");

            lock.rollback();
            Http.Response answered = first.get(30, TimeUnit.SECONDS);
            assertThat(answered.status()).as(answered.body()).isEqualTo(200);
        }
        await().atMost(PATIENCE).until(() -> "UP".equals(readiness().get("status").asString()));
        assertThat(operations(held)).isEqualTo(1);
        Http.Response again = checkpoint(later);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(operations(later)).isEqualTo(1);
    }

    @Test
    void theOrchestratorsConnectionsHaveAStatementTimeoutAndASocketTimeout() throws Exception {
        DataSource pool = orchestrator.context().getBean(DataSource.class);
        try (Connection c = pool.getConnection()) {
            assertThat(JdbcClient.create(pool).sql("show statement_timeout").query(String.class).single())
                    .isEqualTo("30s");
            assertThat(c.getNetworkTimeout()).as("socket timeout, ms").isEqualTo(60_000);
        }
    }

    @Test
    void aStatementBlockedOnALockLongerThanTheStatementTimeoutFailsInsteadOfHanging() throws Exception {
        String blocked = running("blocked");
        try (RunningOrchestrator strict = RunningOrchestrator.start(db, new MutableClock(),
                // settings in the URL win over the data source properties of the defaults
                "spring.datasource.url=" + db.jdbcUrl() + "?options=-c%20statement_timeout%3D1s",
                "cairn.orchestrator.checkpoint-writer-wait=60s");
                Connection lock = holdRowLock(blocked)) {
            Http.Response r = http.post(strict.url("/v1/invocations/checkpoints"), request(blocked));

            assertThat(r.status()).as(r.body()).isEqualTo(503);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(operations(blocked)).isZero();
            assertThat(lock.isValid(5)).as("the lock holder is untouched").isTrue();
        }
    }

    private static String running(String workflow) {
        UUID id = UUID.randomUUID();
        sql.sql("""
                insert into executions (execution_id, workflow, version, status, started_at, invocation_token,
                                        lease_expires_at, invocation_started_at, worker_id)
                values (?, ?, '1', 'RUNNING', now(), ?, now() + interval '10 minutes', now(), 'w')
                """).params(id, workflow, TOKEN).update();
        return id.toString();
    }

    private static Http.Response checkpoint(String executionId) {
        return http.post(orchestrator.url("/v1/invocations/checkpoints"), request(executionId));
    }

    private static CheckpointRequest request(String executionId) {
        return new CheckpointRequest(executionId, TOKEN.toString(), List.of(stepStart("1", "a", 1)));
    }

    private static long operations(String executionId) {
        return sql.sql("select count(*) from operations where execution_id = cast(? as uuid)").param(executionId)
                .query(Long.class).single();
    }

    /** A transaction holding the execution's row lock until it is rolled back. */
    private static Connection holdRowLock(String executionId) throws Exception {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(
                "select 1 from executions where execution_id = cast(? as uuid) for update")) {
            ps.setString(1, executionId);
            ps.executeQuery().close();
        }
        return c;
    }

    private static boolean waitingForLock() {
        return sql.sql("""
                select count(*) from pg_stat_activity
                 where datname = current_database() and wait_event_type = 'Lock'
                """).query(Long.class).single() > 0;
    }

    private static JsonNode readiness() {
        return http.get(managementUrl("/actuator/health/readiness")).json();
    }

    private static JsonNode liveness() {
        return http.get(managementUrl("/actuator/health/liveness")).json();
    }

    private static String managementUrl(String path) {
        return "http://127.0.0.1:" + orchestrator.context().getEnvironment().getProperty("local.management.port")
                + path;
    }
}
