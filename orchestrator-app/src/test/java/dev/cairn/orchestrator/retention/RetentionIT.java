package dev.cairn.orchestrator.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.orchestrator.support.Api;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.protocol.WorkerRegistration;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Closed executions disappear, with everything they own, retentionDays after they ended; running ones never. */
class RetentionIT {

    private static final MutableClock clock = new MutableClock();
    private static TestDatabase db;
    private static RunningOrchestrator orchestrator;
    private static JdbcClient sql;
    private static Api api;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(RetentionIT.class);
        sql = JdbcClient.create(db.dataSource());
        orchestrator = RunningOrchestrator.start(db, clock, "cairn.orchestrator.retention-interval=200ms",
                "cairn.orchestrator.retention-batch-size=2");
        api = new Api(orchestrator, sql);
        assertThat(api.http().post(orchestrator.url("/v1/workers/register"), new WorkerRegistration("w",
                "http://127.0.0.1:9", 1, List.of(new WorkflowRef("kept", "1")))).status()).isEqualTo(200);
        sql.sql("update workers set last_heartbeat_at = now() - interval '1 day'").update();
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
    void deletesClosedExecutionsAndAllTheyOwnWhenTheirRetentionRunsOut() {
        double deletedBefore = deletedCount();
        List<String> oneDay = List.of(startAndStop(1), startAndStop(1), startAndStop(1));
        String threeDays = startAndStop(3);
        String defaultDays = startAndStop(null);
        String running = api.start("kept", "{\"input\":1,\"retentionDays\":1,\"timeoutSeconds\":31622400}");
        sql.sql("insert into operations (execution_id, operation_id, type, name, status, started_at) "
                + "values (cast(? as uuid), '1', 'STEP', 'step', 'SUCCEEDED', now())").param(oneDay.get(0)).update();
        Instant ended = endedAt(threeDays);
        assertThat(expiresAt(threeDays)).isEqualTo(ended.plus(Duration.ofDays(3)));
        assertThat(expiresAt(defaultDays)).isEqualTo(endedAt(defaultDays).plus(Duration.ofDays(14)));
        assertThat(expiresAt(running)).isNull();

        clock.advance(Duration.ofDays(1).plusMinutes(1));

        await().atMost(Api.PATIENCE).until(() -> oneDay.stream().noneMatch(RetentionIT::exists));
        assertThat(count("operations", oneDay.get(0))).isZero();
        assertThat(count("history_events", oneDay.get(0))).isZero();
        assertThat(api.http().get(orchestrator.url("/v1/executions/" + oneDay.get(0))).status()).isEqualTo(404);
        assertThat(exists(threeDays)).isTrue();
        assertThat(exists(defaultDays)).isTrue();
        assertThat(exists(running)).isTrue();
        assertThat(count("timers", running)).isEqualTo(1);

        clock.advance(Duration.ofDays(2));

        await().atMost(Api.PATIENCE).until(() -> !exists(threeDays));
        assertThat(exists(defaultDays)).isTrue();
        assertThat(exists(running)).isTrue();
        assertThat(deletedCount() - deletedBefore).isEqualTo(4.0);
    }

    @Test
    void freesTheExecutionNameWhenItsExecutionIsDeleted() {
        String first = api.start("kept", "{\"input\":1,\"executionName\":\"nightly\",\"retentionDays\":1}");
        assertThat(api.post("/v1/executions/" + first + "/stop", "{}").status()).isEqualTo(200);
        assertThat(api.post("/v1/workflows/kept/executions", "{\"input\":2,\"executionName\":\"nightly\"}").status())
                .isEqualTo(409);

        clock.advance(Duration.ofDays(1).plusMinutes(1));
        await().atMost(Api.PATIENCE).until(() -> !exists(first));

        assertThat(api.post("/v1/workflows/kept/executions", "{\"input\":2,\"executionName\":\"nightly\"}").status())
                .isEqualTo(201);
    }

    @Test
    void findsExpiredExecutionsThroughTheIndexAmongManyKeptOnes() {
        // 60,000 closed executions still kept, 3,000 expired: the sweep must not read the kept ones
        sql.sql("""
                insert into executions (execution_id, workflow, version, status, started_at, retention_days)
                select gen_random_uuid(), 'bulk', '1', 'RUNNING', now(), case when i <= 3000 then 1 else 30 end
                  from generate_series(1, 63000) i
                """).update();
        sql.sql("update executions set status = 'SUCCEEDED', ended_at = cast(? as timestamptz) - interval '2 days' "
                + "where workflow = 'bulk'").param(OffsetDateTime.now().plus(Duration.ofDays(3))).update();
        sql.sql("analyze executions").update();

        String plan = String.join("\n", sql.sql("explain select execution_id from executions "
                + "where expires_at <= now() + interval '3 days' and status <> 'RUNNING' order by expires_at limit 1000")
                .query(String.class).list());
        assertThat(plan).contains("ix_executions_expires_at");

        // the clock is at least 3 days ahead after the other tests, or gets there now
        clock.advance(Duration.ofDays(3));
        await().atMost(Api.PATIENCE).until(() -> sql.sql("select count(*) from executions where workflow = 'bulk'")
                .query(Long.class).single() == 60_000);
    }

    private static String startAndStop(Integer retentionDays) {
        String id = api.start("kept", retentionDays == null ? "{\"input\":1}"
                : "{\"input\":1,\"retentionDays\":" + retentionDays + "}");
        assertThat(api.post("/v1/executions/" + id + "/stop", "{}").status()).isEqualTo(200);
        return id;
    }

    private static double deletedCount() {
        return orchestrator.context().getBean(MeterRegistry.class).get("cairn.retention.deleted").counter().count();
    }

    private static boolean exists(String id) {
        return sql.sql("select count(*) from executions where execution_id = cast(? as uuid)").param(id)
                .query(Long.class).single() > 0;
    }

    private static long count(String table, String id) {
        return sql.sql("select count(*) from " + table + " where execution_id = cast(? as uuid)").param(id)
                .query(Long.class).single();
    }

    private static Instant endedAt(String id) {
        return sql.sql("select ended_at from executions where execution_id = cast(? as uuid)").param(id)
                .query(OffsetDateTime.class).single().toInstant();
    }

    private static Instant expiresAt(String id) {
        OffsetDateTime t = sql.sql("select expires_at from executions where execution_id = cast(? as uuid)").param(id)
                .query(OffsetDateTime.class).optional().orElse(null);
        return t == null ? null : t.toInstant();
    }
}
