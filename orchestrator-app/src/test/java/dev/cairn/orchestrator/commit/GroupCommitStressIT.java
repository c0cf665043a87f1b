package dev.cairn.orchestrator.commit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testing.TestDatabase;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;

/**
 * The group commit under load and faults: 16 threads submit single jobs and batches of jobs to 1–4 writers; some jobs
 * fail on the server ({@link SQLException}), some throw after writing (an unchecked exception, an {@link Error}), and
 * some lose their connection at commit (the commit happened, or not, and the driver throws a connection failure).
 * Afterwards every caller's answer matches the database — a result: its row is there; a failure: it is not;
 * {@link WriteOutcomeUnknownException}: either — no writer slot is lost (all writers write at the same time again),
 * and at no time did more than {@code writers} connections write at once.
 */
class GroupCommitStressIT {

    private static final int THREADS = 16;
    private static final int ROUNDS = 40;

    private static TestDatabase db;
    private static JdbcClient sql;
    private static FaultyDataSource dataSource;
    private static ExecutorService threads;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(GroupCommitStressIT.class);
        sql = JdbcClient.create(db.dataSource());
        sql.sql("create table stress_items (id int primary key, v int not null)").update();
        dataSource = new FaultyDataSource(db.dataSource());
        threads = Executors.newFixedThreadPool(THREADS + 4);
    }

    @AfterAll
    static void stop() {
        threads.shutdownNow();
        if (db != null) {
            db.close();
        }
    }

    @ParameterizedTest(name = "{0} writer(s)")
    @ValueSource(ints = {1, 2, 3, 4})
    void everyAnswerMatchesTheDatabaseAndNoWriterSlotIsLost(int writers) throws Exception {
        sql.sql("truncate stress_items").update();
        dataSource.reset();
        GroupCommit group = new GroupCommit(dataSource, new SQLExceptionSubclassTranslator(), writers, 8,
                Duration.ofSeconds(30));
        Map<Integer, Answer> answers = new ConcurrentHashMap<>();
        AtomicInteger ids = new AtomicInteger();
        long seed = new Random().nextLong();
        System.out.println("GroupCommitStressIT seed " + seed + ", " + writers + " writer(s)");

        List<CompletableFuture<Void>> submitters = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Random random = new Random(seed + t);
            submitters.add(CompletableFuture.runAsync(() -> {
                for (int round = 0; round < ROUNDS; round++) {
                    int jobs = random.nextInt(4) == 0 ? 2 + random.nextInt(4) : 1;
                    List<Integer> mine = new ArrayList<>();
                    List<Work<Integer>> works = new ArrayList<>();
                    for (int j = 0; j < jobs; j++) {
                        int id = ids.incrementAndGet();
                        mine.add(id);
                        works.add(Fault.pick(random).job(id));
                    }
                    List<Outcome<Integer>> outcomes = group.submitAll(works);
                    for (int j = 0; j < jobs; j++) {
                        answers.put(mine.get(j), Answer.of(mine.get(j), outcomes.get(j)));
                    }
                }
            }, threads));
        }
        CompletableFuture.allOf(submitters.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);

        Set<Integer> rows = new HashSet<>(sql.sql("select id from stress_items").query(Integer.class).list());
        assertThat(answers).hasSize(ids.get());
        List<String> mismatches = new ArrayList<>();
        answers.forEach((id, answer) -> {
            if (answer == Answer.WRITTEN && !rows.contains(id)) {
                mismatches.add(id + " told written, no row");
            } else if (answer == Answer.FAILED && rows.contains(id)) {
                mismatches.add(id + " told failed, has a row");
            }
        });
        assertThat(mismatches).isEmpty();
        assertThat(answers.values()).as("every kind of answer was given").contains(Answer.WRITTEN, Answer.FAILED,
                Answer.UNKNOWN);
        assertThat(dataSource.mostOpenAtOnce()).as("connections writing at once").isBetween(1, writers);
        assertThat(group.queued()).isZero();
        assertThat(group.writing()).as("writer slots held after the run").isZero();
        assertAllWritersWriteAtOnce(group, writers, ids.get() + 1);
    }

    /**
     * Starts {@code writers} jobs that each wait until all of them run: only possible with every slot free. Each is
     * submitted once the one before it is being written, so that no two share a batch.
     */
    private static void assertAllWritersWriteAtOnce(GroupCommit group, int writers, int firstId) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<Integer>> blocked = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                int id = firstId + i;
                CountDownLatch running = new CountDownLatch(1);
                blocked.add(CompletableFuture.supplyAsync(() -> group.submit(connection -> {
                    running.countDown();
                    try {
                        if (!release.await(30, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("not released");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                    return insert(connection, id);
                }), threads));
                assertThat(running.await(30, TimeUnit.SECONDS))
                        .as("batch %d of %d written while the others are", i + 1, writers).isTrue();
            }
        } finally {
            release.countDown();
        }
        for (CompletableFuture<Integer> b : blocked) {
            assertThat(b.get(30, TimeUnit.SECONDS)).isNotNull();
        }
        assertThat(group.writing()).isZero();
    }

    /** What a caller was told about one job. */
    private enum Answer {
        WRITTEN, FAILED, UNKNOWN;

        static Answer of(int id, Outcome<Integer> outcome) {
            if (!outcome.failed()) {
                assertThat(outcome.result()).isEqualTo(id);
                return WRITTEN;
            }
            return outcome.failure() instanceof WriteOutcomeUnknownException ? UNKNOWN : FAILED;
        }
    }

    /** What a job does. */
    private enum Fault {
        NONE(id -> connection -> insert(connection, id)),
        /** Its statement fails on the server (division by zero): nothing written. */
        SERVER_ERROR(id -> connection -> {
            try (PreparedStatement ps = connection.prepareStatement(
                    "insert into stress_items (id, v) values (?, 1 / (? - ?))")) {
                ps.setInt(1, id);
                ps.setInt(2, id);
                ps.setInt(3, id);
                ps.executeUpdate();
            }
            return id;
        }),
        /** Throws an unchecked exception after writing. */
        DEFECT_AFTER_WRITING(id -> connection -> {
            insert(connection, id);
            throw new IllegalStateException("injected defect after writing " + id);
        }),
        /** Throws an error after writing. */
        ERROR_AFTER_WRITING(id -> connection -> {
            insert(connection, id);
            throw new AssertionError("injected error after writing " + id);
        }),
        /**
         * Loses the connection: in a transaction, at its commit (committed or not); in autocommit, after its statement
         * ran or before.
         */
        CONNECTION_LOST(id -> connection -> {
            boolean after = (id & 1) == 0;
            if (connection.getAutoCommit()) {
                if (after) {
                    insert(connection, id);
                }
                throw new SQLException("injected: connection lost", "08006");
            }
            insert(connection, id);
            FaultyDataSource.loseAtCommit(connection, after);
            return id;
        });

        private final IntFunction<Work<Integer>> job;

        Fault(IntFunction<Work<Integer>> job) {
            this.job = job;
        }

        Work<Integer> job(int id) {
            return job.apply(id);
        }

        static Fault pick(Random random) {
            int n = random.nextInt(100);
            if (n < 75) {
                return NONE;
            }
            return values()[1 + n % (values().length - 1)];
        }
    }

    static int insert(Connection connection, int id) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("insert into stress_items (id, v) values (?, 1)")) {
            ps.setInt(1, id);
            ps.executeUpdate();
        }
        return id;
    }

    /**
     * Connections that count how many are open at once and can be made to lose their connection at commit: the
     * commit happens (or is rolled back) and then throws a connection failure, after which the connection is broken.
     */
    private static final class FaultyDataSource implements DataSource {

        private final DataSource target;
        private final AtomicInteger open = new AtomicInteger();
        private final AtomicInteger mostOpen = new AtomicInteger();

        FaultyDataSource(DataSource target) {
            this.target = target;
        }

        void reset() {
            mostOpen.set(0);
        }

        int mostOpenAtOnce() {
            return mostOpen.get();
        }

        static void loseAtCommit(Connection connection, boolean committed) {
            ((Handler) Proxy.getInvocationHandler(connection)).loseAtCommit = committed ? 1 : 2;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection real = target.getConnection();
            mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Connection.class}, new Handler(real));
        }

        private final class Handler implements InvocationHandler {

            private final Connection real;
            /** 0: no fault; 1: commit, then fail; 2: roll back, then fail. */
            int loseAtCommit;
            private boolean broken;
            private boolean closed;

            Handler(Connection real) {
                this.real = real;
            }

            @Override
            public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
                switch (method.getName()) {
                    case "close" -> {
                        if (!closed) {
                            closed = true;
                            open.decrementAndGet();
                            real.close();
                        }
                        return null;
                    }
                    case "isClosed" -> {
                        return closed || broken || real.isClosed();
                    }
                    case "commit" -> {
                        if (loseAtCommit != 0) {
                            if (loseAtCommit == 1) {
                                real.commit();
                            } else {
                                real.rollback();
                            }
                            broken = true;
                            throw new SQLException("injected: connection lost at commit", "08006");
                        }
                    }
                    default -> {
                        // passed on below
                    }
                }
                if (broken) {
                    throw new SQLException("injected: the connection is broken", "08003");
                }
                try {
                    return method.invoke(real, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
