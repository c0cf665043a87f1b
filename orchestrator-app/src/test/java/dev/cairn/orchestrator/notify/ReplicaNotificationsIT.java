package dev.cairn.orchestrator.notify;

import static dev.cairn.orchestrator.support.Updates.waitStart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.orchestrator.support.Api;
import dev.cairn.orchestrator.support.FakeWorker;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The notifications that tell other replicas to look are sent after the change committed, from the replica's own
 * notifying connection (not inside the writing transactions, whose commits would queue on PostgreSQL's notify lock),
 * coalesced, and not routed back to the replica that sent them.
 */
class ReplicaNotificationsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private TestDatabase db;
    private Connection listening;

    @BeforeEach
    void open() throws SQLException {
        db = TestDatabase.create(ReplicaNotificationsIT.class);
        listening = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        try (Statement s = listening.createStatement()) {
            s.execute("listen " + Channels.READY);
            s.execute("listen " + Channels.TIMER);
            s.execute("listen " + Channels.CLOSED);
        }
    }

    @AfterEach
    void close() throws SQLException {
        listening.close();
        db.close();
    }

    @Test
    void aBurstOfRequestsIsCoalescedAndTheLastOneIsAlwaysSent() throws Exception {
        Wakeups wakeups = new Wakeups();
        NotificationPublisher publisher = new NotificationPublisher(details(), wakeups);
        publisher.start();
        try {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> burst = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                burst.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        wakeups.tellReplicas(true, false);
                    }
                }));
            }
            for (Future<?> f : burst) {
                f.get();
            }
            pool.shutdown();
            List<PGNotification> received = receive(1);
            await().atMost(PATIENCE).until(() -> {
                received.addAll(drain(200));
                return received.size() == publisher.sent();
            });
            assertThat(received).isNotEmpty().allMatch(n -> n.getName().equals(Channels.READY));
            assertThat(publisher.sent()).isLessThan(2_000);

            // once idle, each request is sent, both channels in one statement when both are asked for
            long before = publisher.sent();
            wakeups.tellReplicas(true, true);
            assertThat(receive(2)).extracting(PGNotification::getName)
                    .containsExactlyInAnyOrder(Channels.READY, Channels.TIMER);
            wakeups.tellReplicas(false, true);
            assertThat(receive(1)).extracting(PGNotification::getName).containsExactly(Channels.TIMER);
            wakeups.tellReplicas(false, false);
            assertThat(drain(300)).isEmpty();
            assertThat(publisher.sent()).isEqualTo(before + 2);
        } finally {
            publisher.stop();
        }
    }

    @Test
    void aReplicaIgnoresItsOwnNotificationsButHearsOthers() throws Exception {
        Wakeups wakeups = new Wakeups();
        NotificationPublisher publisher = new NotificationPublisher(details(), wakeups);
        NotificationListener listener = new NotificationListener(details(), wakeups);
        publisher.start();
        listener.start();
        try {
            // the listener signals every loop when it (re)connects; wait for that, then drain the signals
            await().atMost(PATIENCE).until(() -> wakeups.ready().await(Duration.ofMillis(50)));
            wakeups.timers().await(Duration.ZERO);

            wakeups.tellReplicas(true, true);
            assertThat(receive(2)).hasSize(2); // sent, so the replica's own listener has it too
            assertThat(wakeups.ready().await(Duration.ofMillis(500))).isFalse();
            assertThat(wakeups.timers().await(Duration.ZERO)).isFalse();

            try (Connection other = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                    Statement s = other.createStatement()) {
                s.execute("notify " + Channels.READY);
            }
            assertThat(wakeups.ready().await(PATIENCE)).isTrue();
            assertThat(wakeups.timers().await(Duration.ZERO)).isFalse();
        } finally {
            listener.stop();
            publisher.stop();
        }
    }

    @Test
    void closedExecutionsAreHeardInProcessAtOnceAndByOtherReplicasInPayloadsUnder8000Bytes() throws Exception {
        Wakeups writing = new Wakeups();
        ClosedExecutions closedHere = new ClosedExecutions(writing);
        NotificationPublisher publisher = new NotificationPublisher(details(), writing);
        Wakeups other = new Wakeups();
        ClosedExecutions closedThere = new ClosedExecutions(other);
        NotificationListener listener = new NotificationListener(details(), other);
        Set<UUID> heardHere = ConcurrentHashMap.newKeySet();
        Set<UUID> heardThere = ConcurrentHashMap.newKeySet();
        closedHere.listen(recorder(heardHere));
        closedThere.listen(recorder(heardThere));
        publisher.start();
        listener.start();
        try {
            await().atMost(PATIENCE).until(() -> other.ready().await(Duration.ofMillis(50))); // listening
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 450; i++) {
                ids.add(UUID.randomUUID());
            }

            closedHere.announce(ids);

            assertThat(heardHere).containsExactlyInAnyOrderElementsOf(ids);
            List<PGNotification> received = new ArrayList<>();
            Set<String> sent = new HashSet<>();
            await().atMost(PATIENCE).until(() -> {
                for (PGNotification n : drain(100)) {
                    received.add(n);
                    sent.addAll(List.of(n.getParameter().split(",")));
                }
                return sent.size() == ids.size();
            });
            assertThat(received).allMatch(n -> n.getName().equals(Channels.CLOSED))
                    .allMatch(n -> n.getParameter().getBytes(StandardCharsets.UTF_8).length < 8000)
                    .hasSizeGreaterThanOrEqualTo(3);
            assertThat(sent).containsExactlyInAnyOrderElementsOf(ids.stream().map(UUID::toString).toList());
            await().atMost(PATIENCE).until(() -> heardThere.size() == ids.size());
            assertThat(heardThere).containsExactlyInAnyOrderElementsOf(ids);
        } finally {
            listener.stop();
            publisher.stop();
        }
    }

    private static ClosedExecutions.Listener recorder(Set<UUID> into) {
        return new ClosedExecutions.Listener() {
            @Override
            public void closed(Collection<UUID> executionIds) {
                into.addAll(executionIds);
            }

            @Override
            public void mayHaveMissed() {
            }
        };
    }

    @Test
    void aStartAndATimerDueSoonAreAnnouncedFromTheNotifyingConnectionAfterTheirCommit() throws Exception {
        MutableClock clock = new MutableClock();
        try (RunningOrchestrator orchestrator = RunningOrchestrator.start(db, clock,
                "cairn.orchestrator.timer-poll-interval=30s");
                FakeWorker worker = FakeWorker.start("fake-1", orchestrator.baseUrl(), clock, 4,
                        new WorkflowRef("napper", "1"))) {
            worker.script("napper", calls -> {
                if (calls.op("1").isEmpty()) {
                    calls.checkpoint(waitStart("1", "nap", calls.now().plus(Duration.ofSeconds(5))));
                }
                calls.complete(InvocationOutcome.PENDING, null, null);
            });
            JdbcClient sql = JdbcClient.create(db.dataSource());
            Api api = new Api(orchestrator, sql);
            drain(300);

            String id = api.start("napper", "{}");
            api.awaitIdleWith(id, "1", "STARTED");

            List<PGNotification> received = new ArrayList<>();
            await().atMost(PATIENCE).until(() -> {
                received.addAll(drain(100));
                return received.stream().anyMatch(n -> n.getName().equals(Channels.TIMER))
                        && received.stream().anyMatch(n -> n.getName().equals(Channels.READY));
            });
            List<Integer> notifying = sql.sql("select pid from pg_stat_activity where application_name = :name"
                    + " and datname = current_database()")
                    .param("name", "cairn-orchestrator-notify").query(Integer.class).list();
            assertThat(notifying).hasSize(1);
            assertThat(received).extracting(PGNotification::getPID).containsOnly(notifying.get(0));
        }
    }

    private JdbcConnectionDetails details() {
        return new JdbcConnectionDetails() {
            @Override
            public String getUsername() {
                return db.user();
            }

            @Override
            public String getPassword() {
                return db.password();
            }

            @Override
            public String getJdbcUrl() {
                return db.jdbcUrl();
            }
        };
    }

    /** Waits until at least {@code count} notifications arrived and returns them. */
    private List<PGNotification> receive(int count) throws SQLException {
        List<PGNotification> received = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            received.addAll(drain(200));
        }
        assertThat(received).hasSizeGreaterThanOrEqualTo(count);
        return received;
    }

    private List<PGNotification> drain(int timeoutMillis) throws SQLException {
        PGNotification[] notifications = listening.unwrap(PGConnection.class).getNotifications(timeoutMillis);
        return notifications == null ? new ArrayList<>() : new ArrayList<>(List.of(notifications));
    }
}
