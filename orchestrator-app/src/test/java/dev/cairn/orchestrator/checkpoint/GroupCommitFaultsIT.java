package dev.cairn.orchestrator.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.orchestrator.commit.GroupCommit;
import dev.cairn.orchestrator.commit.Outcome;
import dev.cairn.orchestrator.commit.Work;
import dev.cairn.orchestrator.commit.WriterBusyException;
import dev.cairn.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;

/**
 * The group commit when things go wrong: hand-offs racing other leaders, jobs that throw after writing, writers
 * that hang. Leaders are held at chosen points by jobs that wait on latches, or by the {@link GroupCommit#afterHandOff}
 * hook; jobs write rows of {@code fault_items}, so what a caller was told can be compared with what was committed.
 */
class GroupCommitFaultsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static TestDatabase db;
    private static DataSource dataSource;
    private static JdbcClient sql;
    private static ExecutorService threads;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(GroupCommitFaultsIT.class);
        dataSource = db.dataSource();
        sql = JdbcClient.create(dataSource);
        sql.sql("create table fault_items (id int primary key)").update();
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
    void aHandOffOvertakenByAnotherLeaderLeavesEveryWriterSlotUsable() throws Exception {
        GroupCommit group = group(2);
        Blocking a = new Blocking(100);
        Blocking d = new Blocking(101);
        CountDownLatch aHandingOff = new CountDownLatch(1);
        CountDownLatch letAGo = new CountDownLatch(1);
        group.afterHandOff(() -> {
            if (Thread.currentThread() == a.thread.get()) {
                aHandingOff.countDown();
                awaitLatch(letAGo);
            }
        });
        // A and D hold both writers; B's job queues behind them
        CompletableFuture<Integer> first = async(() -> group.submit(a));
        a.awaitStarted();
        CompletableFuture<Integer> second = async(() -> group.submit(d));
        d.awaitStarted();
        CompletableFuture<Integer> queued = async(() -> group.submit(insert(102)));
        await().atMost(PATIENCE).until(() -> group.queued() == 1);

        // A is done and hands its slot to B's caller, but is held before B hears of it; meanwhile D is done too,
        // and B's job is written (by B, promoted by D) and B's caller leaves
        a.release();
        assertThat(aHandingOff.await(20, TimeUnit.SECONDS)).isTrue();
        d.release();
        assertThat(queued.get(20, TimeUnit.SECONDS)).isEqualTo(102);
        assertThat(second.get(20, TimeUnit.SECONDS)).isEqualTo(101);
        letAGo.countDown();
        assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo(100);

        assertThat(group.writing()).as("writer slots still held").isZero();
        assertThat(group.queued()).isZero();
        // both writers can write at the same time again (y is submitted once x is being written, so that the two
        // cannot share one batch)
        Blocking x = new Blocking(103);
        Blocking y = new Blocking(104);
        CompletableFuture<Integer> one = async(() -> group.submit(x));
        x.awaitStarted();
        CompletableFuture<Integer> two = async(() -> group.submit(y));
        y.awaitStarted();
        x.release();
        y.release();
        assertThat(one.get(20, TimeUnit.SECONDS)).isEqualTo(103);
        assertThat(two.get(20, TimeUnit.SECONDS)).isEqualTo(104);
        assertThat(items(100, 104)).containsExactly(100, 101, 102, 103, 104);
    }

    @Test
    void anErrorInsideABatchRollsTheBatchBackAndFailsEveryCallerOfIt() throws Exception {
        GroupCommit group = group(1);
        Blocking blocker = new Blocking(200);
        CompletableFuture<Integer> first = async(() -> group.submit(blocker));
        blocker.awaitStarted();
        CompletableFuture<Integer> before = async(() -> group.submit(insert(201)));
        await().atMost(PATIENCE).until(() -> group.queued() == 1);
        CompletableFuture<Integer> broken = async(() -> group.submit(insertThen(202,
                new AssertionError("injected after writing"))));
        await().atMost(PATIENCE).until(() -> group.queued() == 2);
        CompletableFuture<Integer> after = async(() -> group.submit(insert(203)));
        await().atMost(PATIENCE).until(() -> group.queued() == 3);

        blocker.release();

        assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(failure(before)).isNotNull();
        assertThat(failure(broken)).isInstanceOf(AssertionError.class).hasMessage("injected after writing");
        assertThat(failure(after)).isNotNull();
        assertThat(items(201, 203)).as("committed by a batch whose callers were all told it failed").isEmpty();
        assertThat(group.writing()).isZero();
        // the connection went back to autocommit without committing anything: the next job commits alone
        assertThat(group.submit(insert(204))).isEqualTo(204);
        assertThat(items(201, 204)).containsExactly(204);
    }

    @Test
    void aJobThatFailsAfterWritingCommitsNothingOfItsOwnWhileTheOthersOfItsBatchCommit() throws Exception {
        GroupCommit group = group(1);
        Blocking blocker = new Blocking(300);
        CompletableFuture<Integer> first = async(() -> group.submit(blocker));
        blocker.awaitStarted();
        CompletableFuture<Integer> before = async(() -> group.submit(insert(301)));
        await().atMost(PATIENCE).until(() -> group.queued() == 1);
        CompletableFuture<Integer> failing = async(() -> group.submit(insertThen(302,
                new SQLException("injected after writing", "XX000"))));
        await().atMost(PATIENCE).until(() -> group.queued() == 2);
        CompletableFuture<Integer> after = async(() -> group.submit(insert(303)));
        await().atMost(PATIENCE).until(() -> group.queued() == 3);

        blocker.release();

        assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo(300);
        assertThat(before.get(20, TimeUnit.SECONDS)).isEqualTo(301);
        assertThat(failure(failing)).hasRootCauseMessage("injected after writing");
        assertThat(after.get(20, TimeUnit.SECONDS)).isEqualTo(303);
        assertThat(items(301, 303)).as("a caller told its write failed has no row").containsExactly(301, 303);
        assertThat(group.writing()).isZero();
    }

    @Test
    void jobsThatFindNoFreeWriterInTimeFailUnwrittenWithARetriableErrorAndLeaveTheQueue() throws Exception {
        GroupCommit group = new GroupCommit(dataSource, new SQLExceptionSubclassTranslator(), 1, 64,
                Duration.ofMillis(300));
        Blocking hanging = new Blocking(400);
        CompletableFuture<Integer> held = async(() -> group.submit(hanging));
        hanging.awaitStarted();

        CompletableFuture<Integer> single = async(() -> group.submit(insert(401)));
        CompletableFuture<List<Outcome<Integer>>> batch = async(
                () -> group.submitAll(List.of(insert(402), insert(403))));

        assertThat(failure(single)).isInstanceOf(WriterBusyException.class)
                .hasMessageContaining("no checkpoint writer became free within 300 ms");
        assertThat(batch.get(20, TimeUnit.SECONDS)).allSatisfy(outcome ->
                assertThat(outcome.failure()).isInstanceOf(WriterBusyException.class));
        assertThat(((WriterBusyException) failure(single)).status().value()).isEqualTo(503);
        assertThat(group.queued()).isZero();
        assertThat(group.writing()).isEqualTo(1);

        hanging.release();
        assertThat(held.get(20, TimeUnit.SECONDS)).isEqualTo(400);
        assertThat(group.writing()).isZero();
        assertThat(group.submit(insert(404))).isEqualTo(404);
        assertThat(items(400, 404)).as("only what was written").containsExactly(400, 404);
    }

    @Test
    void checkpointWritesAreDownWhileAWriteHangsAndUpOnceItReturns() throws Exception {
        GroupCommit group = group(1);
        CheckpointWritesHealthIndicator health = new CheckpointWritesHealthIndicator(group, Duration.ofMillis(200));
        assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
        Blocking hanging = new Blocking(500);
        CompletableFuture<Integer> held = async(() -> group.submit(hanging));
        hanging.awaitStarted();

        await().atMost(PATIENCE).until(() -> health.health().getStatus().getCode().equals("DOWN"));
        assertThat(health.health().getDetails().get("reason").toString())
                .startsWith("a checkpoint write has been running for ");

        hanging.release();
        assertThat(held.get(20, TimeUnit.SECONDS)).isEqualTo(500);
        assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
    }

    private static GroupCommit group(int writers) {
        return new GroupCommit(dataSource, new SQLExceptionSubclassTranslator(), writers, 64);
    }

    /** A job that inserts its row once it is let go, remembering the thread that writes it. */
    private static final class Blocking implements Work<Integer> {

        final int id;
        final AtomicReference<Thread> thread = new AtomicReference<>();
        private final CountDownLatch started = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);

        Blocking(int id) {
            this.id = id;
        }

        @Override
        public Integer run(Connection connection) throws SQLException {
            thread.set(Thread.currentThread());
            started.countDown();
            awaitLatch(release);
            return insertRow(connection, id);
        }

        void awaitStarted() throws InterruptedException {
            assertThat(started.await(20, TimeUnit.SECONDS)).as("job " + id + " is being written").isTrue();
        }

        void release() {
            release.countDown();
        }
    }

    private static Work<Integer> insert(int id) {
        return connection -> insertRow(connection, id);
    }

    /** A job that writes its row, then throws. */
    private static Work<Integer> insertThen(int id, Throwable thrown) {
        return connection -> {
            insertRow(connection, id);
            if (thrown instanceof SQLException e) {
                throw e;
            }
            throw (Error) thrown;
        };
    }

    static int insertRow(Connection connection, int id) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("insert into fault_items (id) values (?)")) {
            ps.setInt(1, id);
            ps.executeUpdate();
        }
        return id;
    }

    private static List<Integer> items(int from, int to) {
        return sql.sql("select id from fault_items where id between :from and :to order by id").param("from", from)
                .param("to", to).query(Integer.class).list();
    }

    private static <T> CompletableFuture<T> async(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, threads);
    }

    /** What the call failed with, or null when it succeeded. */
    private static Throwable failure(CompletableFuture<?> call) throws Exception {
        try {
            call.get(20, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
