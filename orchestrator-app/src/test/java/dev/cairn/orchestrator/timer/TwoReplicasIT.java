package dev.cairn.orchestrator.timer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Two orchestrator replicas on one database share the timers: each fires exactly once. */
class TwoReplicasIT {

    private static final int EXECUTIONS = 400;

    private TestDatabase db;
    private RunningOrchestrator first;
    private RunningOrchestrator second;
    private JdbcClient sql;

    @BeforeEach
    void start() {
        db = TestDatabase.create(TwoReplicasIT.class);
        sql = JdbcClient.create(db.dataSource());
        MutableClock clock = new MutableClock();
        first = RunningOrchestrator.start(db, clock, "cairn.orchestrator.timer-batch-size=7");
        second = RunningOrchestrator.start(db, clock, "cairn.orchestrator.timer-batch-size=7");
    }

    @AfterEach
    void stop() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        db.close();
    }

    @Test
    void manyTimersDueAtOnceFireExactlyOnceEach() {
        sql.sql("""
                with e as (
                    insert into executions (execution_id, workflow, version, status, started_at)
                    select gen_random_uuid(), 'timed', '1', 'RUNNING', now() from generate_series(1, :n)
                    returning execution_id
                ), o as (
                    insert into operations (execution_id, operation_id, type, sub_type, name, status, started_at,
                                            scheduled_end_at)
                    select execution_id, '1', 'WAIT', 'Wait', 'nap', 'STARTED', now(), now() - interval '1 second'
                      from e
                )
                insert into timers (execution_id, timer_id, kind, due_at, operation_id)
                select execution_id, '1', 'WAIT', now() - interval '1 second', '1' from e
                """).param("n", EXECUTIONS).update();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> sql.sql("select count(*) from timers").query(Long.class).single() == 0);

        List<Long> perExecution = sql.sql("""
                select count(h.event_id) from executions e
                  left join history_events h on h.execution_id = e.execution_id and h.type = 'WaitSucceeded'
                 group by e.execution_id
                """).query(Long.class).list();
        assertThat(perExecution).hasSize(EXECUTIONS).containsOnly(1L);
        assertThat(sql.sql("select count(*) from operations where status = 'SUCCEEDED'").query(Long.class).single())
                .isEqualTo(EXECUTIONS);
        assertThat(sql.sql("select count(*) from executions where ready_at is not null").query(Long.class).single())
                .isEqualTo(EXECUTIONS);
    }
}
