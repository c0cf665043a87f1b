package dev.cairn.orchestrator.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cairn.orchestrator.commit.GroupCommit;
import dev.cairn.orchestrator.commit.Outcome;
import dev.cairn.orchestrator.commit.Work;
import dev.cairn.orchestrator.ledger.CheckpointPlan;
import dev.cairn.orchestrator.ledger.CheckpointStore;
import dev.cairn.orchestrator.ledger.Completion;
import dev.cairn.orchestrator.ledger.EventRow;
import dev.cairn.orchestrator.ledger.OperationRow;
import dev.cairn.orchestrator.ledger.TimerRow;
import dev.cairn.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;

/**
 * The group commit behind {@link CheckpointStore}: requests that arrive while a commit runs are written together in
 * the next transaction, and each keeps its own answer; so do the jobs of one {@code submitAll} (a batch request). A
 * leader is held on a row lock so that the others queue behind it; rows written by one transaction share its
 * {@code xmin}.
 */
class GroupCommitIT {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static TestDatabase db;
    private static DataSource dataSource;
    private static JdbcClient sql;
    private static CheckpointStore store;
    private static ExecutorService threads;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(GroupCommitIT.class);
        dataSource = db.dataSource();
        sql = JdbcClient.create(dataSource);
        store = new CheckpointStore(dataSource, new SQLExceptionSubclassTranslator(), 1, 64);
        sql.sql("create table group_items (id int primary key, touched int not null default 0)").update();
        threads = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        threads.shutdownNow();
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aRequestWithoutConcurrencyIsWrittenAloneAtOnce() {
        Instant now = now();
        Running e = running("alone");
        long before = store.groupCommit().transactions();

        CheckpointStore.Written written = store.checkpoint(e.id, e.token, plan(step("1")), now, now.plusSeconds(60));

        assertThat(written).isNotNull();
        assertThat(written.workflow()).isEqualTo("alone");
        assertThat(store.groupCommit().transactions() - before).isEqualTo(1);
        assertThat(operations(e.id)).containsExactly("1");
    }

    @Test
    void concurrentRequestsCommitTogetherEachWithItsOwnAnswerAndAFencedOneWritesNothing() throws Exception {
        Instant now = now();
        Running blocker = running("blocker");
        Map<String, Running> executions = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            executions.put("wf-" + i, running("wf-" + i));
        }
        Running fenced = executions.get("wf-3");
        long before = store.groupCommit().transactions();
        long statementsBefore = store.groupCommit().statements();

        try (BlockedWriter blocked = new BlockedWriter(blocker, now)) {
            Map<String, CompletableFuture<CheckpointStore.Written>> answers = new LinkedHashMap<>();
            executions.forEach((workflow, e) -> answers.put(workflow,
                    submit(e, e == fenced ? UUID.randomUUID() : e.token, plan(step("1"), step("2")), now)));
            assertThat(blocked.release(executions.size()).workflow()).isEqualTo("blocker");
            answers.forEach((workflow, answer) -> {
                CheckpointStore.Written written = answer.join();
                if (workflow.equals("wf-3")) {
                    assertThat(written).as("fenced").isNull();
                } else {
                    assertThat(written).as(workflow).isNotNull();
                    assertThat(written.workflow()).isEqualTo(workflow);
                }
            });
        }

        // the blocker alone, then the six together, in one statement (plain step checkpoints of distinct executions)
        assertThat(store.groupCommit().transactions() - before).isEqualTo(2);
        assertThat(store.groupCommit().statements() - statementsBefore).isEqualTo(2);
        List<String> xmins = new ArrayList<>();
        executions.forEach((workflow, e) -> {
            if (e == fenced) {
                assertThat(operations(e.id)).isEmpty();
                assertThat(leaseExtended(e.id)).isFalse();
            } else {
                assertThat(operations(e.id)).containsExactly("1", "2");
                assertThat(leaseExtended(e.id)).isTrue();
                xmins.add(xmin(e.id));
            }
        });
        assertThat(xmins).hasSize(5);
        assertThat(xmins.stream().distinct()).hasSize(1);
        assertThat(xmins.get(0)).isNotEqualTo(xmin(blocker.id));
    }

    @Test
    void aFailingStatementDoesNotFailTheOthersOfItsBatch() throws Exception {
        Instant now = now();
        Running blocker = running("blocker");
        List<Running> executions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            executions.add(running("ok-" + i));
        }
        Running failing = executions.get(2);

        try (BlockedWriter blocked = new BlockedWriter(blocker, now)) {
            List<CompletableFuture<CheckpointStore.Written>> answers = new ArrayList<>();
            for (Running e : executions) {
                // an operation type outside ck_operations_type makes the statement fail
                answers.add(submit(e, e.token, plan(e == failing ? badStep("1") : step("1")), now));
            }
            blocked.release(executions.size());

            List<String> xmins = new ArrayList<>();
            for (int i = 0; i < executions.size(); i++) {
                Running e = executions.get(i);
                CompletableFuture<CheckpointStore.Written> answer = answers.get(i);
                if (e == failing) {
                    assertThatThrownBy(answer::join).hasCauseInstanceOf(DataIntegrityViolationException.class);
                    assertThat(operations(e.id)).isEmpty();
                    assertThat(leaseExtended(e.id)).isFalse();
                } else {
                    assertThat(answer.join().workflow()).isEqualTo(e.workflow);
                    assertThat(operations(e.id)).containsExactly("1");
                    assertThat(leaseExtended(e.id)).isTrue();
                    xmins.add(xmin(e.id));
                }
            }
            // the batch was written again without the failing one: the others still commit together
            assertThat(xmins.stream().distinct()).hasSize(1);
        }
    }

    @Test
    void twoCheckpointsOfOneExecutionInOneBatchAreWrittenInOrderByTheirOwnStatements() throws Exception {
        Instant now = now();
        Running blocker = running("blocker");
        Running twice = running("twice");
        Running other = running("other");
        long statementsBefore = store.groupCommit().statements();
        try (BlockedWriter blocked = new BlockedWriter(blocker, now)) {
            List<CompletableFuture<CheckpointStore.Written>> answers = new ArrayList<>();
            answers.add(submit(twice, twice.token, plan(List.of(started("1")),
                    List.of(new EventRow("StepStarted", "1", "s1", null))), now));
            await().atMost(PATIENCE).until(() -> store.groupCommit().queued() == 1);
            answers.add(submit(other, other.token, plan(List.of(step("1")),
                    List.of(new EventRow("StepSucceeded", "1", "s1", "{\"n\":1}"))), now));
            await().atMost(PATIENCE).until(() -> store.groupCommit().queued() == 2);
            answers.add(submit(twice, twice.token, plan(List.of(step("1"), step("2")),
                    List.of(new EventRow("StepSucceeded", "1", "s1", null),
                            new EventRow("StepSucceeded", "2", "s2", null))), now.plusMillis(1)));
            blocked.release(3);
            for (CompletableFuture<CheckpointStore.Written> answer : answers) {
                assertThat(answer.get(20, TimeUnit.SECONDS)).isNotNull();
            }
        }
        // the blocker; then 'twice' and 'other' in one statement; then the second of 'twice' in its own
        assertThat(store.groupCommit().statements() - statementsBefore).isEqualTo(3);
        assertThat(xmin(twice.id)).isEqualTo(xmin(other.id));
        assertThat(sql.sql("select operation_id || ':' || status from operations where execution_id = :id "
                + "order by operation_id").param("id", twice.id).query(String.class).list())
                .containsExactly("1:SUCCEEDED", "2:SUCCEEDED");
        assertThat(sql.sql("select type || ':' || operation_id from history_events where execution_id = :id "
                + "order by event_id").param("id", twice.id).query(String.class).list())
                .containsExactly("StepStarted:1", "StepSucceeded:1", "StepSucceeded:2");
        assertThat(sql.sql("select type || ':' || name || ':' || details from history_events where execution_id = :id")
                .param("id", other.id).query(String.class).list()).containsExactly("StepSucceeded:s1:{\"n\":1}");
        assertThat(sql.sql("select count(*) from operations where execution_id = :id and started_at = :at")
                .param("id", other.id).param("at", java.sql.Timestamp.from(now)).query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void completionsAndCheckpointsOfOneBatchKeepTheirOwnResults() throws Exception {
        Instant now = now();
        Running blocker = running("blocker");
        Running completing = running("completing");
        Running checkpointing = running("checkpointing");
        try (BlockedWriter blocked = new BlockedWriter(blocker, now)) {
            CompletableFuture<CheckpointStore.Written> completed = CompletableFuture.supplyAsync(
                    () -> store.complete(completing.id, completing.token, plan(step("1")),
                            new Completion(dev.cairn.protocol.InvocationOutcome.SUCCEEDED, "\"done\"", null,
                                    new EventRow("ExecutionSucceeded", null, null, null), null, null),
                            now), threads);
            CompletableFuture<CheckpointStore.Written> checkpointed = submit(checkpointing, checkpointing.token,
                    plan(step("1")), now);
            blocked.release(2);

            assertThat(completed.get(20, TimeUnit.SECONDS).workflow()).isEqualTo("completing");
            assertThat(completed.get().ready()).isFalse();
            assertThat(checkpointed.get(20, TimeUnit.SECONDS).workflow()).isEqualTo("checkpointing");
        }
        assertThat(sql.sql("select status from executions where execution_id = :id").param("id", completing.id)
                .query(String.class).single()).isEqualTo("SUCCEEDED");
        assertThat(sql.sql("select status from executions where execution_id = :id").param("id", checkpointing.id)
                .query(String.class).single()).isEqualTo("RUNNING");
        assertThat(xmin(completing.id)).isEqualTo(xmin(checkpointing.id));
    }

    @Test
    void leanCompletionsOfDistinctExecutionsAreWrittenInOneStatementAndAChainedChildsByItsOwn() throws Exception {
        Instant now = now();
        Running blocker = running("blocker");
        Running suspending = running("suspending");
        Running succeeding = running("succeeding");
        Running fenced = running("fenced");
        Running checkpointing = running("checkpointing");
        Running parent = running("parent");
        Running child = running("child");
        sql.sql("update executions set parent_execution_id = :parent, parent_operation_id = '1' "
                + "where execution_id = :id").param("parent", parent.id).param("id", child.id).update();
        sql.sql("""
                insert into operations (execution_id, operation_id, type, sub_type, name, status, started_at,
                                        child_execution_id)
                values (:parent, '1', 'CHAINED_INVOKE', 'ChainedInvoke', 'call', 'STARTED', now(), :child)
                """).param("parent", parent.id).param("child", child.id).update();
        sql.sql("insert into timers (execution_id, timer_id, kind, due_at) values (:id, 'execution-timeout', "
                + "'EXECUTION_TIMEOUT', now() + interval '1 hour')").param("id", succeeding.id).update();
        Instant due = now.plus(Duration.ofMinutes(5)).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        CheckpointPlan waiting = new CheckpointPlan(List.of(new OperationRow("1", null, "WAIT", "Wait", "nap",
                "STARTED", null, null, null, null, due, null)), List.of(new EventRow("WaitStarted", "1", "nap", null)),
                List.of(new TimerRow("1", "WAIT", due, "1")), List.of(), List.of(), List.of(), false);
        long statementsBefore = store.groupCommit().statements();

        Map<Running, CompletableFuture<CheckpointStore.Written>> answers = new LinkedHashMap<>();
        try (BlockedWriter blocked = new BlockedWriter(blocker, now)) {
            answers.put(suspending, complete(suspending, suspending.token, waiting, pending(), now));
            answers.put(checkpointing, submit(checkpointing, checkpointing.token, plan(step("1")), now));
            answers.put(succeeding, complete(succeeding, succeeding.token, plan(step("1")), succeeded("\"done\""),
                    now));
            answers.put(fenced, complete(fenced, UUID.randomUUID(), plan(step("1")), succeeded("1"), now));
            answers.put(child, complete(child, child.token, plan(step("1")), succeeded("\"from child\""), now));
            blocked.release(answers.size());
            for (Map.Entry<Running, CompletableFuture<CheckpointStore.Written>> answer : answers.entrySet()) {
                CheckpointStore.Written written = answer.getValue().get(20, TimeUnit.SECONDS);
                if (answer.getKey() == fenced) {
                    assertThat(written).as("fenced").isNull();
                } else {
                    assertThat(written).as(answer.getKey().workflow).isNotNull();
                    assertThat(written.workflow()).isEqualTo(answer.getKey().workflow);
                    assertThat(written.ready()).isFalse();
                }
            }
        }

        // the blocker; the four completions in one statement (the chained child's then by its own, not counted
        // here); the checkpoint, moved behind them (no two jobs of one execution), by its own
        assertThat(store.groupCommit().statements() - statementsBefore).isEqualTo(3);
        assertThat(xmin(suspending.id)).isEqualTo(xmin(succeeding.id)).isEqualTo(xmin(checkpointing.id))
                .isEqualTo(xmin(child.id)).isEqualTo(xmin(parent.id));
        assertThat(state(suspending.id)).isEqualTo("RUNNING|null|null|false|null");
        assertThat(state(succeeding.id)).isEqualTo("SUCCEEDED|\"done\"|null|false|ended");
        assertThat(state(fenced.id)).isEqualTo("RUNNING|null|token|true|null");
        assertThat(state(child.id)).isEqualTo("SUCCEEDED|\"from child\"|null|false|ended");
        assertThat(state(checkpointing.id)).isEqualTo("RUNNING|null|token|true|null");
        assertThat(sql.sql("select timer_id || ':' || kind || ':' || (due_at = :due) from timers "
                + "where execution_id = :id")
                .param("id", suspending.id).param("due", java.sql.Timestamp.from(due)).query(String.class).list())
                .containsExactly("1:WAIT:true");
        assertThat(sql.sql("select count(*) from timers where execution_id = :id").param("id", succeeding.id)
                .query(Long.class).single()).isZero();
        assertThat(events(suspending.id)).containsExactly("WaitStarted", "InvocationCompleted");
        assertThat(events(succeeding.id)).containsExactly("InvocationCompleted", "ExecutionSucceeded");
        assertThat(events(fenced.id)).isEmpty();
        assertThat(sql.sql("select details::jsonb ->> 'outcome' || '|' || (details::jsonb ->> 'workerId') "
                + "|| '|' || (details::jsonb ->> 'startedAt' is not null) from history_events "
                + "where execution_id = :id and type = 'InvocationCompleted'").param("id", suspending.id)
                .query(String.class).single()).isEqualTo("PENDING|w|true");
        // the parent learnt that its chained child closed
        assertThat(sql.sql("select status || '|' || result from operations where execution_id = :id")
                .param("id", parent.id).query(String.class).single()).isEqualTo("SUCCEEDED|\"from child\"");
        assertThat(sql.sql("select ready_at is not null from executions where execution_id = :id")
                .param("id", parent.id).query(Boolean.class).single()).isTrue();
    }

    @Test
    void submitAllAnswersEachJobInOrderInAsFewTransactionsAsMaxBatchAllows() {
        GroupCommit group = new GroupCommit(dataSource, new SQLExceptionSubclassTranslator(), 1, 3);
        List<Work<Row>> works = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            works.add(insert(100 + i));
        }

        List<Outcome<Row>> outcomes = group.submitAll(works);

        assertThat(outcomes).hasSize(8).noneMatch(Outcome::failed);
        assertThat(outcomes).extracting(o -> o.result().id()).containsExactly(100, 101, 102, 103, 104, 105, 106, 107);
        assertThat(group.transactions()).isEqualTo(3);
        assertThat(group.requests()).isEqualTo(8);
        List<String> xmins = outcomes.stream().map(o -> o.result().xmin()).toList();
        assertThat(xmins.subList(0, 3).stream().distinct()).hasSize(1);
        assertThat(xmins.subList(3, 6).stream().distinct()).hasSize(1);
        assertThat(xmins.subList(6, 8).stream().distinct()).hasSize(1);
        assertThat(xmins.stream().distinct()).hasSize(3);
        assertThat(group.submitAll(List.<Work<Row>>of())).isEmpty();
        assertThat(group.writing()).isZero();
    }

    @Test
    void aBatchRunsItsStatementsOnGenericPlansAndLeavesTheConnectionAsItWas() {
        GroupCommit group = new GroupCommit(dataSource, new SQLExceptionSubclassTranslator(), 1, 64);
        Work<String> planMode = connection -> {
            try (PreparedStatement ps = connection.prepareStatement("select current_setting('plan_cache_mode')");
                    java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        };

        List<Outcome<String>> batch = group.submitAll(List.of(planMode, planMode));
        String alone = group.submit(planMode);

        assertThat(batch).extracting(Outcome::result).containsExactly("force_generic_plan",
                "force_generic_plan");
        assertThat(group.transactions()).isEqualTo(2);
        // set for the batch's transaction only: the pooled connection, and a job written alone, plan as usual
        assertThat(alone).isEqualTo("auto");
    }

    @Test
    void aFailingJobOfSubmitAllKeepsItsOwnExceptionAndTheOthersCommitTogether() {
        GroupCommit group = new GroupCommit(dataSource, new SQLExceptionSubclassTranslator(), 1, 64);
        group.submit(insert(200));
        List<Work<Row>> works = List.of(insert(201), insert(200), insert(202),
                connection -> {
                    throw new IllegalStateException("boom");
                },
                insert(203));

        List<Outcome<Row>> outcomes = group.submitAll(works);

        assertThat(outcomes.get(1).failure()).isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> outcomes.get(1).get()).isInstanceOf(DuplicateKeyException.class);
        assertThat(outcomes.get(3).failure()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        List<Outcome<Row>> written = List.of(outcomes.get(0), outcomes.get(2), outcomes.get(4));
        assertThat(written).noneMatch(Outcome::failed);
        assertThat(written).extracting(o -> o.result().id()).containsExactly(201, 202, 203);
        // written again without the failing ones, still together
        assertThat(written.stream().map(o -> o.result().xmin()).distinct()).hasSize(1);
        assertThat(items(200, 203)).containsExactly(200, 201, 202, 203);
        assertThat(group.writing()).isZero();
    }

    @Test
    void singleSubmissionsAndABatchQueuedBehindALeaderCommitTogetherEachWithItsOwnResult() throws Exception {
        GroupCommit group = new GroupCommit(dataSource, new SQLExceptionSubclassTranslator(), 1, 64);
        group.submit(insert(300));
        try (Connection lock = holdItemLock(300)) {
            CompletableFuture<Row> blocker = CompletableFuture.supplyAsync(() -> group.submit(touch(300)), threads);
            await().atMost(PATIENCE).until(() -> group.writing() == 1 && waitingForLock());
            List<CompletableFuture<Row>> singles = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int id = 301 + i;
                singles.add(CompletableFuture.supplyAsync(() -> group.submit(insert(id)), threads));
            }
            await().atMost(PATIENCE).until(() -> group.queued() == 3);
            CompletableFuture<List<Outcome<Row>>> batch = CompletableFuture.supplyAsync(
                    () -> group.submitAll(List.of(insert(310), insert(311), insert(312), insert(313))), threads);
            await().atMost(PATIENCE).until(() -> group.queued() == 7);
            lock.rollback();

            String blockerXmin = blocker.get(20, TimeUnit.SECONDS).xmin();
            List<Outcome<Row>> outcomes = batch.get(20, TimeUnit.SECONDS);
            assertThat(outcomes).extracting(o -> o.result().id()).containsExactly(310, 311, 312, 313);
            List<String> xmins = new ArrayList<>(outcomes.stream().map(o -> o.result().xmin()).toList());
            for (int i = 0; i < singles.size(); i++) {
                Row row = singles.get(i).get(20, TimeUnit.SECONDS);
                assertThat(row.id()).isEqualTo(301 + i);
                xmins.add(row.xmin());
            }
            assertThat(xmins.stream().distinct()).hasSize(1);
            assertThat(xmins.get(0)).isNotEqualTo(blockerXmin);
        }
        assertThat(group.transactions()).isEqualTo(3);
        assertThat(group.writing()).isZero();
    }

    @Test
    void aBatchCallerLeadsBatchAfterBatchInQueueOrderThenHandsOverToTheNextCaller() throws Exception {
        GroupCommit group = new GroupCommit(dataSource, new SQLExceptionSubclassTranslator(), 1, 2);
        group.submit(insert(400));
        try (Connection lock = holdItemLock(400)) {
            // the batch's caller leads; its first statement waits for the lock, holding up its first transaction
            CompletableFuture<List<Outcome<Row>>> batch = CompletableFuture.supplyAsync(
                    () -> group.submitAll(List.of(touch(400), insert(401), insert(402), insert(403), insert(404))),
                    threads);
            await().atMost(PATIENCE).until(() -> group.writing() == 1 && waitingForLock() && group.queued() == 3);
            CompletableFuture<Row> first = CompletableFuture.supplyAsync(() -> group.submit(insert(410)), threads);
            await().atMost(PATIENCE).until(() -> group.queued() == 4);
            CompletableFuture<Row> second = CompletableFuture.supplyAsync(() -> group.submit(insert(411)), threads);
            await().atMost(PATIENCE).until(() -> group.queued() == 5);
            lock.rollback();

            List<Outcome<Row>> outcomes = batch.get(20, TimeUnit.SECONDS);
            Row firstRow = first.get(20, TimeUnit.SECONDS);
            Row secondRow = second.get(20, TimeUnit.SECONDS);
            assertThat(outcomes).extracting(o -> o.result().id()).containsExactly(400, 401, 402, 403, 404);
            List<String> xmins = outcomes.stream().map(o -> o.result().xmin()).toList();
            // batches of two in queue order: {400, 401}, {402, 403}, {404, 410}, then {411} led by its own caller
            assertThat(xmins.get(0)).isEqualTo(xmins.get(1));
            assertThat(xmins.get(2)).isEqualTo(xmins.get(3)).isNotEqualTo(xmins.get(1));
            assertThat(firstRow.xmin()).isEqualTo(xmins.get(4)).isNotEqualTo(xmins.get(3));
            assertThat(secondRow.xmin()).isNotEqualTo(firstRow.xmin());
        }
        assertThat(group.transactions()).isEqualTo(5);
        assertThat(group.writing()).isZero();
    }

    /** A row written by a job, and the transaction that wrote it. */
    private record Row(int id, String xmin) {
    }

    private static Work<Row> insert(int id) {
        return connection -> row(connection, "insert into group_items (id) values (?) returning id, xmin::text", id);
    }

    private static Work<Row> touch(int id) {
        return connection -> row(connection, "update group_items set touched = touched + 1 where id = ? "
                + "returning id, xmin::text", id);
    }

    private static Row row(Connection connection, String statement, int id) throws java.sql.SQLException {
        try (PreparedStatement ps = connection.prepareStatement(statement)) {
            ps.setInt(1, id);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Row(rs.getInt(1), rs.getString(2));
            }
        }
    }

    private static List<Integer> items(int from, int to) {
        return sql.sql("select id from group_items where id between :from and :to order by id").param("from", from)
                .param("to", to).query(Integer.class).list();
    }

    /** A transaction holding the item's row lock until it is rolled back. */
    private static Connection holdItemLock(int id) throws Exception {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("select 1 from group_items where id = ? for update")) {
            ps.setInt(1, id);
            ps.executeQuery().close();
        }
        return c;
    }

    private record Running(UUID id, UUID token, String workflow) {
    }

    private static Running running(String workflow) {
        Running e = new Running(UUID.randomUUID(), UUID.randomUUID(), workflow);
        sql.sql("""
                insert into executions (execution_id, workflow, version, status, started_at, invocation_token,
                                        lease_expires_at, invocation_started_at, worker_id)
                values (:id, :workflow, '1', 'RUNNING', now(), :token, now() + interval '1 second', now(), 'w')
                """).param("id", e.id).param("workflow", workflow).param("token", e.token).update();
        return e;
    }

    private static CompletableFuture<CheckpointStore.Written> submit(Running e, UUID token, CheckpointPlan plan,
            Instant now) {
        return CompletableFuture.supplyAsync(
                () -> store.checkpoint(e.id, token, plan, now, now.plus(Duration.ofHours(1))), threads);
    }

    private static CompletableFuture<CheckpointStore.Written> complete(Running e, UUID token, CheckpointPlan plan,
            Completion completion, Instant now) {
        return CompletableFuture.supplyAsync(() -> store.complete(e.id, token, plan, completion, now), threads);
    }

    private static Completion pending() {
        return new Completion(dev.cairn.protocol.InvocationOutcome.PENDING, null, null, null, null, null);
    }

    private static Completion succeeded(String result) {
        return new Completion(dev.cairn.protocol.InvocationOutcome.SUCCEEDED, result, null,
                new EventRow("ExecutionSucceeded", null, null, null), null, null);
    }

    /** status|result|token?|lease?|ended? of an execution. */
    private static String state(UUID id) {
        return sql.sql("""
                select status || '|' || coalesce(result, 'null') || '|'
                       || case when invocation_token is null then 'null' else 'token' end || '|'
                       || (lease_expires_at is not null) || '|'
                       || case when ended_at is null then 'null' else 'ended' end
                  from executions where execution_id = :id
                """).param("id", id).query(String.class).single();
    }

    private static List<String> events(UUID id) {
        return sql.sql("select type from history_events where execution_id = :id order by event_id").param("id", id)
                .query(String.class).list();
    }

    /**
     * The group commit's writer held by a checkpoint of {@code blocker} waiting on that execution's row lock, so that
     * what is submitted meanwhile queues and is written together once it is released.
     */
    private static final class BlockedWriter implements AutoCloseable {

        private final Connection lock;
        private final CompletableFuture<CheckpointStore.Written> first;

        BlockedWriter(Running blocker, Instant now) throws Exception {
            lock = holdRowLock(blocker.id);
            first = submit(blocker, blocker.token, plan(step("1")), now);
            await().atMost(PATIENCE).until(() -> store.groupCommit().writing() == 1 && waitingForLock());
        }

        /** Once {@code queued} jobs wait, lets the writer go; answers the blocker's own checkpoint. */
        CheckpointStore.Written release(int queued) throws Exception {
            await().atMost(PATIENCE).until(() -> store.groupCommit().queued() == queued);
            lock.rollback();
            return first.get(20, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            lock.close();
        }
    }

    /** A transaction holding the execution's row lock until it is rolled back. */
    private static Connection holdRowLock(UUID id) throws Exception {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(
                "select 1 from executions where execution_id = ? for update")) {
            ps.setObject(1, id);
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

    private static CheckpointPlan plan(OperationRow... ops) {
        return new CheckpointPlan(List.of(ops), List.of(), List.of(), List.of(), List.of(), List.of(), false);
    }

    private static CheckpointPlan plan(List<OperationRow> ops, List<EventRow> events) {
        return new CheckpointPlan(ops, events, List.of(), List.of(), List.of(), List.of(), false);
    }

    private static OperationRow started(String id) {
        return new OperationRow(id, null, "STEP", "Step", "s" + id, "STARTED", 1, null, null, null, null, null);
    }

    private static OperationRow step(String id) {
        return new OperationRow(id, null, "STEP", "Step", "s" + id, "SUCCEEDED", 1, Instant.now(), "1", null, null,
                null);
    }

    private static OperationRow badStep(String id) {
        return new OperationRow(id, null, "NOT_A_TYPE", "Step", "s" + id, "SUCCEEDED", 1, Instant.now(), "1", null,
                null, null);
    }

    private static List<String> operations(UUID id) {
        return sql.sql("select operation_id from operations where execution_id = :id order by operation_id")
                .param("id", id).query(String.class).list();
    }

    private static boolean leaseExtended(UUID id) {
        return sql.sql("select lease_expires_at > now() + interval '1 minute' from executions where execution_id = :id")
                .param("id", id).query(Boolean.class).single();
    }

    private static String xmin(UUID id) {
        return sql.sql("select xmin::text from executions where execution_id = :id").param("id", id)
                .query(String.class).single();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
