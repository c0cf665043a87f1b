package dev.cairn.orchestrator.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.orchestrator.support.Http;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.protocol.Heartbeat;
import dev.cairn.protocol.WorkerRegistration;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A worker id belongs to whoever registered it, proven by its invocation secret, until it is dead and expired;
 * registration and heartbeats by the owner are idempotent; endpoints are checked against the allow-list.
 */
class WorkerOwnershipIT {

    private static final String WORKER = "ownership-worker-token";
    private static final Duration WORKER_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final String SECRET_HEADER = Heartbeat.WORKER_SECRET_HEADER;
    private static final Http http = new Http(WORKER);
    private static final MutableClock clock = new MutableClock();

    private static TestDatabase db;
    private static RunningOrchestrator orchestrator;
    private static JdbcClient sql;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(WorkerOwnershipIT.class);
        sql = JdbcClient.create(db.dataSource());
        orchestrator = RunningOrchestrator.start(db, clock, "cairn.security.open=false",
                "cairn.security.tokens[0].name=workers", "cairn.security.tokens[0].secret={noop}" + WORKER,
                "cairn.security.tokens[0].roles=worker",
                "cairn.orchestrator.worker-timeout=" + WORKER_TIMEOUT.toSeconds() + "s",
                "cairn.orchestrator.lease-duration=" + LEASE.toSeconds() + "s",
                "cairn.orchestrator.worker-endpoints.allowed=127.0.0.0/8,*.workers.example.test");
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
    void anotherSecretCannotTakeOverALiveWorkerWhoseEndpointAndSecretStay() {
        String id = newId();
        String owner = secret();
        assertThat(register(id, "http://127.0.0.1:9101", owner).status()).isEqualTo(200);

        Http.Response takeover = register(id, "http://127.0.0.1:9666", secret());

        assertThat(takeover.status()).as(takeover.body()).isEqualTo(409);
        assertThat(takeover.contentType()).startsWith("application/problem+json");
        assertThat(takeover.json().get("detail").asString()).contains(id);
        assertThat(row(id)).containsEntry("endpoint", "http://127.0.0.1:9101").containsEntry("secret", owner);
    }

    @Test
    void aRegistrationWithoutASecretCannotTakeOverAWorkerThatHasOne() {
        String id = newId();
        String owner = secret();
        assertThat(register(id, "http://127.0.0.1:9102", owner).status()).isEqualTo(200);

        Http.Response takeover = register(id, "http://127.0.0.1:9666", null);

        assertThat(takeover.status()).as(takeover.body()).isEqualTo(409);
        assertThat(row(id)).containsEntry("endpoint", "http://127.0.0.1:9102").containsEntry("secret", owner);
    }

    @Test
    void aDeadButNotExpiredWorkerStillBelongsToItsOwner() {
        String id = newId();
        String owner = secret();
        assertThat(register(id, "http://127.0.0.1:9103", owner).status()).isEqualTo(200);
        clock.advance(WORKER_TIMEOUT.plusSeconds(1));

        Http.Response takeover = register(id, "http://127.0.0.1:9666", secret());

        assertThat(takeover.status()).as(takeover.body()).isEqualTo(409);
        assertThat(row(id)).containsEntry("endpoint", "http://127.0.0.1:9103").containsEntry("secret", owner);
        // the owner comes back
        assertThat(register(id, "http://127.0.0.1:9104", owner).status()).isEqualTo(200);
        assertThat(row(id)).containsEntry("endpoint", "http://127.0.0.1:9104");
    }

    @Test
    void aDeadAndExpiredIdCanBeTakenByANewOwner() {
        String id = newId();
        String first = secret();
        String second = secret();
        assertThat(register(id, "http://127.0.0.1:9105", first).status()).isEqualTo(200);
        clock.advance(WORKER_TIMEOUT.plus(LEASE).plusSeconds(1));

        Http.Response taken = register(id, "http://127.0.0.1:9106", second);

        assertThat(taken.status()).as(taken.body()).isEqualTo(200);
        assertThat(row(id)).containsEntry("endpoint", "http://127.0.0.1:9106").containsEntry("secret", second);
        assertThat(heartbeat(id, first).status()).isEqualTo(409);
        assertThat(heartbeat(id, second).status()).isEqualTo(200);
    }

    @Test
    void ofTwoFirstRegistrationsOfOneIdTheOneCommittedFirstOwnsItAndTheOtherIsRefused() throws Exception {
        String id = newId();
        String first = secret();
        try (Connection other = db.dataSource().getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement insert = other.prepareStatement("""
                    insert into workers (worker_id, endpoint, capacity, in_flight, status, registered_at,
                                         last_heartbeat_at, invocation_secret)
                    values (?, 'http://127.0.0.1:9110', 1, 0, 'LIVE', ?, ?, ?)
                    """)) {
                Timestamp now = Timestamp.from(clock.instant());
                insert.setString(1, id);
                insert.setTimestamp(2, now);
                insert.setTimestamp(3, now);
                insert.setString(4, first);
                insert.executeUpdate();
            }
            // the second registration reaches the row the first has not committed yet, and waits for it
            CompletableFuture<Http.Response> second = CompletableFuture.supplyAsync(
                    () -> register(id, "http://127.0.0.1:9666", secret()));
            await().atMost(Duration.ofSeconds(30)).until(() -> sql.sql("""
                    select count(*) from pg_stat_activity
                     where datname = current_database() and wait_event_type = 'Lock' and query like '%insert into workers%' and pid <> pg_backend_pid()
                    """).query(Integer.class).single() > 0);
            other.commit();

            Http.Response refused = second.get(30, TimeUnit.SECONDS);

            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        }
        assertThat(row(id)).containsEntry("endpoint", "http://127.0.0.1:9110").containsEntry("secret", first);
    }

    @Test
    void aHeartbeatWithoutTheOwnersSecretIsRefusedAndKeepsNothingLive() {
        String id = newId();
        String owner = secret();
        assertThat(register(id, "http://127.0.0.1:9107", owner).status()).isEqualTo(200);
        clock.advance(WORKER_TIMEOUT.plusSeconds(1));
        Map<String, Object> before = row(id);

        Http.Response wrong = heartbeat(id, secret());
        Http.Response none = heartbeat(id, null);

        for (Http.Response r : List.of(wrong, none)) {
            assertThat(r.status()).as(r.body()).isEqualTo(409);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("detail").asString()).contains(id);
        }
        assertThat(row(id)).isEqualTo(before);
        assertThat(heartbeat(id, owner).status()).isEqualTo(200);
        assertThat(row(id).get("heartbeat")).isNotEqualTo(before.get("heartbeat"));
    }

    @Test
    void registeringTwiceByTheOwnerLeavesWhatRegisteringOnceLeaves() {
        String id = newId();
        String owner = secret();
        assertThat(register(id, "http://127.0.0.1:9108", owner).status()).isEqualTo(200);
        Map<String, Object> once = stateWithoutHeartbeatTimes(id);

        Http.Response again = register(id, "http://127.0.0.1:9108", owner);

        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("workerId").asString()).isEqualTo(id);
        assertThat(stateWithoutHeartbeatTimes(id)).isEqualTo(once);
    }

    @Test
    void aHeartbeatSentTwiceLeavesWhatOneLeaves() {
        String id = newId();
        String owner = secret();
        assertThat(register(id, "http://127.0.0.1:9109", owner).status()).isEqualTo(200);
        assertThat(heartbeat(id, owner).status()).isEqualTo(200);
        Map<String, Object> once = stateWithoutHeartbeatTimes(id);

        assertThat(heartbeat(id, owner).status()).isEqualTo(200);

        assertThat(stateWithoutHeartbeatTimes(id)).isEqualTo(once);
        assertThat(row(id)).containsEntry("status", "LIVE");
    }

    @Test
    void anEndpointOutsideTheAllowListIsRefusedAndNothingIsWritten() {
        String id = newId();
        for (String endpoint : List.of("http://10.0.0.5:8080", "http://169.254.169.254/latest",
                "http://internal.example.test:8080", "http://localhost:9000")) {
            Http.Response r = register(id, endpoint, secret());

            assertThat(r.status()).as(endpoint + " → " + r.body()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("detail").asString()).contains(endpoint);
        }
        assertThat(sql.sql("select count(*) from workers where worker_id = ?").param(id).query(Integer.class).single())
                .isZero();
        assertThat(register(id, "http://w-1.workers.example.test:8080", secret()).status()).isEqualTo(200);
    }

    private static Http.Response register(String id, String endpoint, String secret) {
        return http.post(orchestrator.url("/v1/workers/register"), new WorkerRegistration(id, endpoint, 2,
                List.of(new WorkflowRef("ownership-" + id, "1")), secret));
    }

    private static Http.Response heartbeat(String id, String secret) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(orchestrator.url("/v1/workers/" + id
                + "/heartbeat"))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.JSON.writeValueAsString(new Heartbeat(1, List.of()))));
        if (secret != null) {
            request.header(SECRET_HEADER, secret);
        }
        return http.send(request);
    }

    private static Map<String, Object> row(String id) {
        return sql.sql("""
                select endpoint, invocation_secret as secret, status, capacity, in_flight,
                       cast(last_heartbeat_at as text) as heartbeat
                  from workers where worker_id = ?
                """).param(id).query().singleRow();
    }

    /** The worker's row (less its heartbeat time), what it serves and the versions known for its workflow. */
    private static Map<String, Object> stateWithoutHeartbeatTimes(String id) {
        Map<String, Object> state = new TreeMap<>(sql.sql("""
                select worker_id, endpoint, capacity, in_flight, status, cast(registered_at as text) as registered,
                       invocation_secret
                  from workers where worker_id = ?
                """).param(id).query().singleRow());
        state.put("served", sql.sql("select workflow || ':' || version from worker_workflows where worker_id = ? "
                + "order by 1").param(id).query(String.class).list());
        state.put("versions", sql.sql("select workflow || ':' || version || ':' || first_registered_at "
                + "from workflow_versions where workflow = ? order by 1").param("ownership-" + id)
                .query(String.class).list());
        return state;
    }

    private static String newId() {
        return "owner-" + UUID.randomUUID();
    }

    private static String secret() {
        return UUID.randomUUID().toString().replace("-", "") + "Ab";
    }
}
