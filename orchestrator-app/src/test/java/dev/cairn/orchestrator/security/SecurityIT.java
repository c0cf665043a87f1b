package dev.cairn.orchestrator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.orchestrator.support.Api;
import dev.cairn.orchestrator.support.FakeWorker;
import dev.cairn.orchestrator.support.Http;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.protocol.Heartbeat;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.WorkerRegistration;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Every endpoint of the API with no token, a wrong token and a token of each role. */
class SecurityIT {

    /** Who calls. */
    enum Caller {
        NONE(null), WRONG("not-a-token"), ADMIN("admin-token"), CLIENT("client-token"), WORKER("worker-token"),
        READ("read-token");

        final String token;

        Caller(String token) {
            this.token = token;
        }

        Role role() {
            return switch (this) {
                case ADMIN -> Role.ADMIN;
                case CLIENT -> Role.CLIENT;
                case WORKER -> Role.WORKER;
                case READ -> Role.READ;
                default -> null;
            };
        }
    }

    /** One request to make, built fresh for each call (a start, a stop and a callback change what they touch). */
    record Call(String method, String path, String body) {
    }

    /** An endpoint, the role it needs and what a caller with that role gets. */
    record Endpoint(String name, Role needs, int ok, Supplier<Call> call) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static TestDatabase db;
    private static RunningOrchestrator orchestrator;
    private static JdbcClient sql;
    private static String executionId;
    private static final Http admin = new Http("admin-token");

    @BeforeAll
    static void start() {
        db = TestDatabase.create(SecurityIT.class);
        sql = JdbcClient.create(db.dataSource());
        orchestrator = RunningOrchestrator.start(db, new MutableClock(),
                "cairn.security.open=false",
                "cairn.security.tokens[0].name=ops",
                "cairn.security.tokens[0].secret={noop}admin-token",
                "cairn.security.tokens[0].roles=admin",
                "cairn.security.tokens[1].name=shop",
                "cairn.security.tokens[1].secret=" + TokenSecret.sha256Form("client-token"),
                "cairn.security.tokens[1].roles=client",
                "cairn.security.tokens[2].name=workers",
                "cairn.security.tokens[2].secret=" + TokenSecret.sha256Form("worker-token"),
                "cairn.security.tokens[2].roles=worker",
                "cairn.security.tokens[3].name=dashboard",
                "cairn.security.tokens[3].secret=" + TokenSecret.sha256Form("read-token"),
                "cairn.security.tokens[3].roles=read");
        Http worker = new Http("worker-token");
        assertThat(worker.post(orchestrator.url("/v1/workers/register"), new WorkerRegistration("greeter-worker",
                "http://127.0.0.1:9", 4, List.of(new WorkflowRef("greeter", "1")))).status()).isEqualTo(200);
        assertThat(worker.post(orchestrator.url("/v1/workers/register"), new WorkerRegistration("idle-worker",
                "http://127.0.0.1:9", 1, List.of())).status()).isEqualTo(200);
        // no live worker for greeter: executions stay as started
        sql.sql("update workers set last_heartbeat_at = now() - interval '1 day' where worker_id = 'greeter-worker'")
                .update();
        executionId = startExecution();
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

    static List<Endpoint> endpoints() {
        return List.of(
                new Endpoint("start", Role.CLIENT, 201,
                        () -> new Call("POST", "/v1/workflows/greeter/executions", "{\"input\":1}")),
                new Endpoint("start and wait", Role.CLIENT, 201,
                        () -> new Call("POST", "/v1/workflows/greeter/executions?wait=100ms", "{\"input\":1}")),
                new Endpoint("list", Role.READ, 200, () -> new Call("GET", "/v1/executions", null)),
                new Endpoint("get", Role.READ, 200, () -> new Call("GET", "/v1/executions/" + executionId, null)),
                new Endpoint("get after a wait", Role.READ, 200,
                        () -> new Call("GET", "/v1/executions/" + executionId + "?wait=100ms", null)),
                new Endpoint("operations", Role.READ, 200,
                        () -> new Call("GET", "/v1/executions/" + executionId + "/operations", null)),
                new Endpoint("history", Role.READ, 200,
                        () -> new Call("GET", "/v1/executions/" + executionId + "/history", null)),
                new Endpoint("stop", Role.ADMIN, 200,
                        () -> new Call("POST", "/v1/executions/" + startExecution() + "/stop", "{}")),
                new Endpoint("callback succeed", Role.CLIENT, 200,
                        () -> new Call("POST", "/v1/callbacks/" + newCallback() + "/succeed", "{\"ok\":true}")),
                new Endpoint("callback fail", Role.CLIENT, 200,
                        () -> new Call("POST", "/v1/callbacks/" + newCallback() + "/fail", "{\"type\":\"Nope\"}")),
                new Endpoint("callback heartbeat", Role.CLIENT, 200,
                        () -> new Call("POST", "/v1/callbacks/" + newCallback() + "/heartbeat", "{}")),
                new Endpoint("workflows", Role.READ, 200, () -> new Call("GET", "/v1/workflows", null)),
                new Endpoint("workers", Role.READ, 200, () -> new Call("GET", "/v1/workers", null)),
                new Endpoint("register", Role.WORKER, 200, () -> new Call("POST", "/v1/workers/register",
                        "{\"workerId\":\"idle-worker\",\"endpoint\":\"http://127.0.0.1:9\",\"capacity\":1}")),
                new Endpoint("heartbeat", Role.WORKER, 200, () -> new Call("POST", "/v1/workers/idle-worker/heartbeat",
                        Http.JSON.writeValueAsString(new Heartbeat(0, List.of())))),
                // a token that is not current is fenced (409): the request got past security
                new Endpoint("checkpoint", Role.WORKER, 409, () -> new Call("POST", "/v1/invocations/checkpoints",
                        "{\"executionId\":\"" + executionId + "\",\"invocationToken\":\"" + UUID.randomUUID()
                                + "\",\"updates\":[]}")),
                new Endpoint("complete", Role.WORKER, 409, () -> new Call("POST", "/v1/invocations/complete",
                        "{\"executionId\":\"" + executionId + "\",\"invocationToken\":\"" + UUID.randomUUID()
                                + "\",\"outcome\":\"PENDING\",\"updates\":[]}")),
                // answered 200 with the item fenced (409 in its result): the request got past security
                new Endpoint("batch", Role.WORKER, 200, () -> new Call("POST", "/v1/invocations/batch",
                        "{\"items\":[{\"checkpoint\":{\"executionId\":\"" + executionId
                                + "\",\"invocationToken\":\"" + UUID.randomUUID() + "\",\"updates\":[]}}]}")));
    }

    static Stream<Arguments> everyEndpointAndCaller() {
        List<Arguments> arguments = new ArrayList<>();
        for (Endpoint endpoint : endpoints()) {
            for (Caller caller : Caller.values()) {
                arguments.add(Arguments.of(endpoint, caller));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("everyEndpointAndCaller")
    void answersEachCallerAsItsRolesAllow(Endpoint endpoint, Caller caller) {
        Http.Response r = send(caller, endpoint.call().get());

        if (caller.role() == null) {
            assertThat(r.status()).as(r.body()).isEqualTo(401);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("detail").asString()).contains(caller == Caller.NONE ? "bearer token is required"
                    : "not valid");
        } else if (!caller.role().grants(endpoint.needs())) {
            assertThat(r.status()).as(r.body()).isEqualTo(403);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("detail").asString()).contains("needs the role '" + endpoint.needs().label() + "'");
        } else {
            assertThat(r.status()).as(r.body()).isEqualTo(endpoint.ok());
        }
    }

    @Test
    void refusesAWrongRoleBeforeLookingAnythingUp() {
        String unknown = UUID.randomUUID().toString();

        assertThat(send(Caller.READ, new Call("POST", "/v1/executions/" + unknown + "/stop", "{}")).status())
                .isEqualTo(403);
        assertThat(send(Caller.CLIENT, new Call("GET", "/v1/executions/" + unknown, null)).status()).isEqualTo(403);
        assertThat(send(Caller.WORKER, new Call("POST", "/v1/callbacks/unknown/succeed", "{}")).status())
                .isEqualTo(403);
        assertThat(send(Caller.ADMIN, new Call("GET", "/v1/executions/" + unknown, null)).status()).isEqualTo(404);
    }

    @Test
    void refusesMalformedAuthorizationHeaders() {
        for (String header : List.of("admin-token", "Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer ", "Bearer admin-tokenx",
                "Bearer  admin-token x")) {
            Http.Response r = new Http().send(HttpRequest.newBuilder(URI.create(orchestrator.url("/v1/executions")))
                    .header("Authorization", header).GET());
            assertThat(r.status()).as(header).isEqualTo(401);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
    }

    @Test
    void sendsEachWorkerItsInvocationSecretAndNeverShowsIt() {
        MutableClock clock = new MutableClock();
        try (FakeWorker worker = FakeWorker.start("secret-worker", orchestrator.baseUrl(), "worker-token", clock, 2,
                new WorkflowRef("secured", "1"))) {
            worker.script("secured", calls -> calls.complete(InvocationOutcome.SUCCEEDED, "\"done\"", null));
            Http.Response started = new Http("client-token").post(
                    orchestrator.url("/v1/workflows/secured/executions"), Map.of("input", 1));
            assertThat(started.status()).as(started.body()).isEqualTo(201);
            String id = started.json().get("executionId").asString();

            await().atMost(Api.PATIENCE).until(() -> "SUCCEEDED".equals(
                    admin.get(orchestrator.url("/v1/executions/" + id)).json().get("status").asString()));
            assertThat(worker.received(id)).hasSize(1);
            assertThat(worker.unauthorized()).isZero();
            assertThat(sql.sql("select invocation_secret from workers where worker_id = 'secret-worker'")
                    .query(String.class).single()).isEqualTo(worker.invocationSecret());
            assertThat(admin.get(orchestrator.url("/v1/workers")).body()).doesNotContain(worker.invocationSecret());
        }
    }

    @Test
    void refusesAnInvocationSecretTooShortToBeRandom() {
        Http.Response r = new Http("worker-token").post(orchestrator.url("/v1/workers/register"),
                new WorkerRegistration("weak", "http://127.0.0.1:9", 1, List.of(), "1234"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("detail").asString()).contains("invocationSecret");
    }

    @Test
    void leavesTheActuatorOnTheManagementPortOpenToProbesAndScrapers() {
        String management = "http://127.0.0.1:"
                + orchestrator.context().getEnvironment().getProperty("local.management.port");

        assertThat(new Http().get(management + "/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(new Http().get(management + "/actuator/prometheus").status()).isEqualTo(200);
    }

    private static Http.Response send(Caller caller, Call call) {
        Http http = new Http(caller.token);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(orchestrator.url(call.path())));
        if (call.body() == null) {
            request.method(call.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(call.method(), HttpRequest.BodyPublishers.ofString(call.body()));
        }
        return http.send(request);
    }

    private static String startExecution() {
        Http.Response r = admin.post(orchestrator.url("/v1/workflows/greeter/executions"), Map.of("input", 1));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("executionId").asString();
    }

    /** A STARTED callback of the shared execution, written as a worker's checkpoint would have. */
    private static String newCallback() {
        String callbackId = "cb-" + UUID.randomUUID();
        sql.sql("""
                insert into operations (execution_id, operation_id, type, sub_type, name, status, started_at, callback_id)
                values (cast(? as uuid), ?, 'CALLBACK', 'Callback', 'approval', 'STARTED', now(), ?)
                """).params(executionId, callbackId, callbackId).update();
        return callbackId;
    }
}
