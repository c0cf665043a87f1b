package dev.cairn.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.orchestrator.support.Http;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.protocol.WorkerRegistration;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Malformed and hostile requests against every endpoint: each is answered with a 4xx
 * {@code application/problem+json} whose {@code detail} says what was wrong, and no table of the database changes.
 */
class BadInputIT {

    private static final String ADMIN = "admin-token";
    private static final String CLIENT = "client-token";
    private static final String WORKER = "worker-token";
    private static final String READ = "read-token";
    private static final String JSON = "application/json";
    private static final String RUNNING = "11111111-1111-4111-8111-111111111111";
    private static final String CLOSED = "22222222-2222-4222-8222-222222222222";
    private static final String UNKNOWN = "33333333-3333-4333-8333-333333333333";
    private static final String BIG = "{\"input\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}";

    /** One request and what it must get. */
    record Case(String name, String method, String path, String token, String contentType, String body, int status,
            String detail) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static final Map<String, Http> CLIENTS = new java.util.concurrent.ConcurrentHashMap<>();
    private static TestDatabase db;
    private static RunningOrchestrator orchestrator;
    private static JdbcClient sql;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(BadInputIT.class);
        sql = JdbcClient.create(db.dataSource());
        orchestrator = RunningOrchestrator.start(db, new MutableClock(), "cairn.security.open=false",
                "cairn.security.tokens[0].name=ops", "cairn.security.tokens[0].secret={noop}" + ADMIN,
                "cairn.security.tokens[0].roles=admin",
                "cairn.security.tokens[1].name=shop", "cairn.security.tokens[1].secret={noop}" + CLIENT,
                "cairn.security.tokens[1].roles=client",
                "cairn.security.tokens[2].name=workers", "cairn.security.tokens[2].secret={noop}" + WORKER,
                "cairn.security.tokens[2].roles=worker",
                "cairn.security.tokens[3].name=dashboard", "cairn.security.tokens[3].secret={noop}" + READ,
                "cairn.security.tokens[3].roles=read");
        assertThat(new Http(WORKER).post(orchestrator.url("/v1/workers/register"), new WorkerRegistration("w-1",
                "http://127.0.0.1:9", 2, List.of(new WorkflowRef("greeter", "1")))).status()).isEqualTo(200);
        // no live worker: nothing is dispatched, nothing changes on its own
        sql.sql("update workers set last_heartbeat_at = now() - interval '1 day'").update();
        sql.sql("""
                insert into executions (execution_id, workflow, version, execution_name, status, input, started_at)
                values (cast(? as uuid), 'greeter', '1', 'battery-1', 'RUNNING', '1', now()),
                       (cast(? as uuid), 'greeter', '1', 'battery-2', 'RUNNING', '2', now())
                """).params(RUNNING, CLOSED).update();
        sql.sql("update executions set status = 'SUCCEEDED', ended_at = now() where execution_id = cast(? as uuid)")
                .param(CLOSED).update();
        sql.sql("""
                insert into operations (execution_id, operation_id, type, sub_type, name, status, started_at, callback_id)
                values (cast(? as uuid), '1', 'CALLBACK', 'Callback', 'done', 'SUCCEEDED', now(), 'cb-done'),
                       (cast(? as uuid), '2', 'CALLBACK', 'Callback', 'open', 'STARTED', now(), 'cb-open'),
                       (cast(? as uuid), '1', 'CALLBACK', 'Callback', 'late', 'STARTED', now(), 'cb-closed')
                """).params(RUNNING, RUNNING, CLOSED).update();
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

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        String start = "/v1/workflows/greeter/executions";
        // missing, wrong and malformed tokens, wrong roles
        c.add(new Case("no token", "GET", "/v1/executions", null, null, null, 401, "bearer token is required"));
        c.add(new Case("unknown token", "GET", "/v1/executions", "guess", null, null, 401, "not valid"));
        c.add(new Case("sql as token", "GET", "/v1/executions", "' OR '1'='1", null, null, 401, "not valid"));
        c.add(new Case("start as read", "POST", start, READ, JSON, "{\"input\":1}", 403, "'client'"));
        c.add(new Case("start as worker", "POST", start, WORKER, JSON, "{\"input\":1}", 403, "'client'"));
        c.add(new Case("stop as client", "POST", "/v1/executions/" + RUNNING + "/stop", CLIENT, JSON, "{}", 403,
                "'admin'"));
        c.add(new Case("stop unknown as read", "POST", "/v1/executions/" + UNKNOWN + "/stop", READ, JSON, "{}", 403,
                "'admin'"));
        c.add(new Case("register as client", "POST", "/v1/workers/register", CLIENT, JSON, "{}", 403, "'worker'"));
        c.add(new Case("checkpoint as read", "POST", "/v1/invocations/checkpoints", READ, JSON, "{}", 403, "'worker'"));
        c.add(new Case("list as worker", "GET", "/v1/executions", WORKER, null, null, 403, "'read'"));
        c.add(new Case("callback as read", "POST", "/v1/callbacks/cb-open/succeed", READ, JSON, "{}", 403,
                "'client'"));
        c.add(new Case("callback no token", "POST", "/v1/callbacks/cb-open/succeed", null, JSON, "{}", 401,
                "bearer token is required"));
        // starts
        c.add(new Case("start truncated JSON", "POST", start, CLIENT, JSON, "{\"input\":", 400, "not valid JSON"));
        c.add(new Case("start array body", "POST", start, CLIENT, JSON, "[1,2]", 400, "must be a JSON object"));
        c.add(new Case("start string body", "POST", start, CLIENT, JSON, "\"go\"", 400, "must be a JSON object"));
        c.add(new Case("start empty body", "POST", start, CLIENT, JSON, "", 400, "body"));
        c.add(new Case("start-and-wait truncated JSON", "POST", start + "?wait=1s", CLIENT, JSON, "{\"input\":", 400,
                "not valid JSON"));
        c.add(new Case("start-and-wait empty body", "POST", start + "?wait=1s", CLIENT, JSON, "", 400, "body"));
        c.add(new Case("start-and-wait array body", "POST", start + "?wait=1s", CLIENT, JSON, "[1]", 400,
                "must be a JSON object"));
        c.add(new Case("start name with space", "POST", start, CLIENT, JSON,
                "{\"input\":1,\"executionName\":\"a b\"}", 400, "executionName"));
        c.add(new Case("start name too long", "POST", start, CLIENT, JSON,
                "{\"input\":1,\"executionName\":\"" + "n".repeat(65) + "\"}", 400, "executionName"));
        c.add(new Case("start name sql", "POST", start, CLIENT, JSON,
                "{\"input\":1,\"executionName\":\"x'; drop table executions;--\"}", 400, "executionName"));
        c.add(new Case("start name number", "POST", start, CLIENT, JSON, "{\"input\":1,\"executionName\":7}", 400,
                "executionName: must be a string"));
        c.add(new Case("start timeout text", "POST", start, CLIENT, JSON, "{\"input\":1,\"timeoutSeconds\":\"ten\"}",
                400, "timeoutSeconds"));
        c.add(new Case("start timeout zero", "POST", start, CLIENT, JSON, "{\"input\":1,\"timeoutSeconds\":0}", 400,
                "timeoutSeconds"));
        c.add(new Case("start timeout too long", "POST", start, CLIENT, JSON,
                "{\"input\":1,\"timeoutSeconds\":31622401}", 400, "timeoutSeconds"));
        c.add(new Case("start retention 91", "POST", start, CLIENT, JSON, "{\"input\":1,\"retentionDays\":91}", 400,
                "retentionDays"));
        c.add(new Case("start retention fraction", "POST", start, CLIENT, JSON,
                "{\"input\":1,\"retentionDays\":1.5}", 400, "retentionDays"));
        c.add(new Case("start version blank", "POST", start, CLIENT, JSON, "{\"input\":1,\"version\":\"\"}", 400,
                "version"));
        c.add(new Case("start version number", "POST", start, CLIENT, JSON, "{\"input\":1,\"version\":5}", 400,
                "version: must be a string"));
        c.add(new Case("start unknown workflow", "POST", "/v1/workflows/nobody/executions", CLIENT, JSON,
                "{\"input\":1}", 404, "no worker ever registered the workflow 'nobody'"));
        c.add(new Case("start sql workflow", "POST", "/v1/workflows/greeter'%20OR%20'1'='1/executions", CLIENT, JSON,
                "{\"input\":1}", 404, "no worker ever registered"));
        c.add(new Case("start unknown version", "POST", start, CLIENT, JSON, "{\"input\":1,\"version\":\"9\"}", 404,
                "version '9'"));
        c.add(new Case("start as text", "POST", start, CLIENT, "text/plain", "{\"input\":1}", 415, "text/plain"));
        c.add(new Case("start oversize", "POST", start, CLIENT, JSON, BIG, 413, "exceeds the limit"));
        c.add(new Case("start taken name other input", "POST", start, CLIENT, JSON,
                "{\"input\":2,\"executionName\":\"battery-1\"}", 409, "battery-1"));
        c.add(new Case("start encoded slash", "POST", "/v1/workflows/..%2Fexecutions/executions", CLIENT, JSON,
                "{\"input\":1}", 400, "normalized"));
        c.add(new Case("start dot segments", "POST", "/v1/workflows/greeter/../greeter/executions", CLIENT, JSON,
                "{\"input\":1}", 400, "normalized"));
        c.add(new Case("start encoded dots", "POST", "/v1/workflows/%2e%2e/executions", CLIENT, JSON,
                "{\"input\":1}", 400, "normalized"));
        c.add(new Case("start matrix param", "POST", "/v1/workflows/greeter;x=1/executions", CLIENT, JSON,
                "{\"input\":1}", 400, "normalized"));
        // lists and reads
        c.add(new Case("list limit 0", "GET", "/v1/executions?limit=0", READ, null, null, 400, "limit"));
        c.add(new Case("list limit 1001", "GET", "/v1/executions?limit=1001", READ, null, null, 400, "limit"));
        c.add(new Case("list limit text", "GET", "/v1/executions?limit=abc", READ, null, null, 400, "limit"));
        c.add(new Case("list status unknown", "GET", "/v1/executions?status=DONE", READ, null, null, 400, "status"));
        c.add(new Case("list order", "GET", "/v1/executions?order=sideways", READ, null, null, 400, "order"));
        c.add(new Case("list startedAfter", "GET", "/v1/executions?startedAfter=yesterday", READ, null, null, 400,
                "startedAfter"));
        c.add(new Case("list startedBefore", "GET", "/v1/executions?startedBefore=2025-13-01T00:00:00Z", READ, null,
                null, 400, "startedBefore"));
        c.add(new Case("list garbage page token", "GET", "/v1/executions?pageToken=garbage!!", READ, null, null, 400,
                "pageToken"));
        c.add(new Case("list foreign page token", "GET", "/v1/executions?pageToken=" + token("wf:greeter"), READ, null,
                null, 400, "pageToken"));
        c.add(new Case("list sql page token", "GET", "/v1/executions?pageToken=%27%20OR%201%3D1%20--", READ, null,
                null, 400, "pageToken"));
        c.add(new Case("get unknown", "GET", "/v1/executions/" + UNKNOWN, READ, null, null, 404, UNKNOWN));
        c.add(new Case("get not a uuid", "GET", "/v1/executions/not-a-uuid", READ, null, null, 404, "not-a-uuid"));
        c.add(new Case("get sql id", "GET", "/v1/executions/1'%20OR%20'1'='1", READ, null, null, 404,
                "no execution has the id"));
        c.add(new Case("operations unknown", "GET", "/v1/executions/" + UNKNOWN + "/operations", READ, null, null, 404,
                UNKNOWN));
        c.add(new Case("operations bad token", "GET", "/v1/executions/" + RUNNING + "/operations?pageToken=xyz", READ,
                null, null, 400, "pageToken"));
        c.add(new Case("history unknown", "GET", "/v1/executions/" + UNKNOWN + "/history", READ, null, null, 404,
                UNKNOWN));
        c.add(new Case("history reverse maybe", "GET", "/v1/executions/" + RUNNING + "/history?reverse=maybe", READ,
                null, null, 400, "reverse"));
        c.add(new Case("history limit negative", "GET", "/v1/executions/" + RUNNING + "/history?limit=-1", READ, null,
                null, 400, "limit"));
        c.add(new Case("workflows limit 0", "GET", "/v1/workflows?limit=0", READ, null, null, 400, "limit"));
        c.add(new Case("workflows foreign token", "GET", "/v1/workflows?pageToken=" + token("wk:w-1"), READ, null,
                null, 400, "pageToken"));
        c.add(new Case("workers garbage token", "GET", "/v1/workers?pageToken=%25%25%25", READ, null, null, 400,
                "pageToken"));
        // stop
        c.add(new Case("stop unknown", "POST", "/v1/executions/" + UNKNOWN + "/stop", ADMIN, JSON, "{}", 404,
                UNKNOWN));
        c.add(new Case("stop closed", "POST", "/v1/executions/" + CLOSED + "/stop", ADMIN, JSON, "{}", 409,
                "already SUCCEEDED"));
        c.add(new Case("stop array body", "POST", "/v1/executions/" + RUNNING + "/stop", ADMIN, JSON, "[]", 400,
                "must be a JSON object"));
        c.add(new Case("stop error type number", "POST", "/v1/executions/" + RUNNING + "/stop", ADMIN, JSON,
                "{\"error\":{\"type\":1}}", 400, "error.type"));
        c.add(new Case("stop error string", "POST", "/v1/executions/" + RUNNING + "/stop", ADMIN, JSON,
                "{\"error\":\"boom\"}", 400, "error"));
        c.add(new Case("stop truncated JSON", "POST", "/v1/executions/" + RUNNING + "/stop", ADMIN, JSON, "{\"err",
                400, "not valid JSON"));
        c.add(new Case("stop oversize", "POST", "/v1/executions/" + RUNNING + "/stop", ADMIN, JSON, BIG, 413,
                "exceeds the limit"));
        // callbacks
        c.add(new Case("succeed unknown", "POST", "/v1/callbacks/nope/succeed", CLIENT, JSON, "{}", 404,
                "no callback has this id"));
        c.add(new Case("succeed long id", "POST", "/v1/callbacks/" + "c".repeat(300) + "/succeed", CLIENT, JSON, "{}",
                404, "no callback has this id"));
        c.add(new Case("succeed sql id", "POST", "/v1/callbacks/x'%20OR%20'1'='1/succeed", CLIENT, JSON, "{}", 404,
                "no callback has this id"));
        c.add(new Case("succeed truncated JSON", "POST", "/v1/callbacks/cb-open/succeed", CLIENT, JSON, "{\"a\":", 400,
                "not valid JSON"));
        c.add(new Case("succeed as text", "POST", "/v1/callbacks/cb-open/succeed", CLIENT, "text/plain", "ok", 415,
                "text/plain"));
        c.add(new Case("succeed oversize", "POST", "/v1/callbacks/cb-open/succeed", CLIENT, JSON, BIG, 413,
                "exceeds the limit"));
        c.add(new Case("succeed completed callback", "POST", "/v1/callbacks/cb-done/succeed", CLIENT, JSON, "{}", 409,
                "SUCCEEDED"));
        c.add(new Case("succeed closed execution", "POST", "/v1/callbacks/cb-closed/succeed", CLIENT, JSON, "{}", 409,
                "SUCCEEDED"));
        c.add(new Case("fail without type", "POST", "/v1/callbacks/cb-open/fail", CLIENT, JSON,
                "{\"message\":\"no\"}", 400, "type"));
        c.add(new Case("fail array body", "POST", "/v1/callbacks/cb-open/fail", CLIENT, JSON, "[]", 400,
                "must be a JSON object"));
        c.add(new Case("fail message number", "POST", "/v1/callbacks/cb-open/fail", CLIENT, JSON,
                "{\"type\":\"X\",\"message\":3}", 400, "message"));
        c.add(new Case("heartbeat unknown", "POST", "/v1/callbacks/nope/heartbeat", CLIENT, JSON, "{}", 404,
                "no callback has this id"));
        // worker protocol
        c.add(new Case("register empty", "POST", "/v1/workers/register", WORKER, JSON, "{}", 400, "capacity"));
        c.add(new Case("register ftp endpoint", "POST", "/v1/workers/register", WORKER, JSON,
                "{\"workerId\":\"w-2\",\"endpoint\":\"ftp://x\",\"capacity\":1}", 400, "endpoint"));
        c.add(new Case("register capacity 0", "POST", "/v1/workers/register", WORKER, JSON,
                "{\"workerId\":\"w-2\",\"endpoint\":\"http://x\",\"capacity\":0}", 400, "capacity"));
        c.add(new Case("register capacity text", "POST", "/v1/workers/register", WORKER, JSON,
                "{\"workerId\":\"w-2\",\"endpoint\":\"http://x\",\"capacity\":\"many\"}", 400, "capacity"));
        c.add(new Case("register truncated", "POST", "/v1/workers/register", WORKER, JSON, "{\"workerId\":", 400,
                "not valid JSON"));
        c.add(new Case("heartbeat unknown worker", "POST", "/v1/workers/ghost/heartbeat", WORKER, JSON,
                "{\"inFlight\":0,\"invocations\":[]}", 404, "ghost"));
        c.add(new Case("checkpoint empty", "POST", "/v1/invocations/checkpoints", WORKER, JSON, "{}", 400,
                "executionId"));
        c.add(new Case("checkpoint truncated", "POST", "/v1/invocations/checkpoints", WORKER, JSON, "{\"e", 400,
                "not valid JSON"));
        c.add(new Case("checkpoint fenced", "POST", "/v1/invocations/checkpoints", WORKER, JSON,
                "{\"executionId\":\"" + RUNNING + "\",\"invocationToken\":\"" + UUID.randomUUID()
                        + "\",\"updates\":[]}", 409, RUNNING));
        c.add(new Case("complete failed without error", "POST", "/v1/invocations/complete", WORKER, JSON,
                "{\"executionId\":\"" + RUNNING + "\",\"invocationToken\":\"" + UUID.randomUUID()
                        + "\",\"outcome\":\"FAILED\"}", 400, "error"));
        c.add(new Case("complete unknown outcome", "POST", "/v1/invocations/complete", WORKER, JSON,
                "{\"executionId\":\"" + RUNNING + "\",\"invocationToken\":\"t\",\"outcome\":\"MAYBE\"}", 400,
                "outcome"));
        c.add(new Case("batch as read", "POST", "/v1/invocations/batch", READ, JSON, "{\"items\":[]}", 403,
                "'worker'"));
        c.add(new Case("batch no token", "POST", "/v1/invocations/batch", null, JSON, "{\"items\":[]}", 401,
                "bearer token is required"));
        c.add(new Case("batch truncated", "POST", "/v1/invocations/batch", WORKER, JSON, "{\"items\":[{", 400,
                "not valid JSON"));
        c.add(new Case("batch items not a list", "POST", "/v1/invocations/batch", WORKER, JSON,
                "{\"items\":\"all\"}", 400, "'items'"));
        // (an item of the wrong shape is refused alone, in its result: InvocationBatchIT)
        c.add(new Case("batch as text", "POST", "/v1/invocations/batch", WORKER, "text/plain", "{\"items\":[]}", 415,
                "text/plain"));
        String item = "{\"checkpoint\":{\"executionId\":\"" + RUNNING + "\",\"invocationToken\":\""
                + UUID.randomUUID() + "\"}}";
        c.add(new Case("batch over the item limit", "POST", "/v1/invocations/batch", WORKER, JSON,
                "{\"items\":[" + String.join(",", java.util.Collections.nCopies(1001, item)) + "]}", 400,
                "at most 1000 items (cairn.orchestrator.max-batch-items)"));
        // text that is not Unicode: a lone UTF-16 surrogate, written as a JSON escape, in any JSON that is stored
        String lone = "\\ud800";
        c.add(new Case("start input lone surrogate", "POST", start, CLIENT, JSON, "{\"input\":\"" + lone + "\"}", 400,
                "surrogate"));
        c.add(new Case("start input lone low surrogate", "POST", start, CLIENT, JSON,
                "{\"input\":{\"a\":[\"x\\udc00y\"]}}", 400, "input.a[0]"));
        c.add(new Case("start input surrogates reversed", "POST", start, CLIENT, JSON,
                "{\"input\":\"\\udc00\\ud800\"}", 400, "surrogate"));
        // (Jackson refuses a lone surrogate in a property name while parsing)
        c.add(new Case("start input lone surrogate key", "POST", start, CLIENT, JSON,
                "{\"input\":{\"" + lone + "\":1}}", 400, "not valid JSON"));
        c.add(new Case("succeed lone surrogate", "POST", "/v1/callbacks/cb-open/succeed", CLIENT, JSON,
                "{\"r\":\"" + lone + "\"}", 400, "surrogate"));
        c.add(new Case("fail data lone surrogate", "POST", "/v1/callbacks/cb-open/fail", CLIENT, JSON,
                "{\"type\":\"X\",\"data\":{\"d\":\"" + lone + "\"}}", 400, "surrogate"));
        c.add(new Case("fail message lone surrogate", "POST", "/v1/callbacks/cb-open/fail", CLIENT, JSON,
                "{\"type\":\"X\",\"message\":\"" + lone + "\"}", 400, "surrogate"));
        c.add(new Case("register worker id lone surrogate", "POST", "/v1/workers/register", WORKER, JSON,
                "{\"workerId\":\"w" + lone + "\",\"endpoint\":\"http://127.0.0.1:9\",\"capacity\":1}", 400,
                "surrogate"));
        c.add(new Case("checkpoint payload lone surrogate", "POST", "/v1/invocations/checkpoints", WORKER, JSON,
                "{\"executionId\":\"" + RUNNING + "\",\"invocationToken\":\"" + UUID.randomUUID()
                        + "\",\"updates\":[{\"id\":\"1\",\"type\":\"STEP\",\"action\":\"SUCCEED\","
                        + "\"payload\":\"\\\"\\\\ud800\\\"\"}]}", 400, "updates[0].payload"));
        c.add(new Case("checkpoint name lone surrogate", "POST", "/v1/invocations/checkpoints", WORKER, JSON,
                "{\"executionId\":\"" + RUNNING + "\",\"invocationToken\":\"" + UUID.randomUUID()
                        + "\",\"updates\":[{\"id\":\"1\",\"type\":\"STEP\",\"action\":\"START\","
                        + "\"name\":\"" + lone + "\"}]}", 400, "surrogate"));
        c.add(new Case("complete result lone surrogate", "POST", "/v1/invocations/complete", WORKER, JSON,
                "{\"executionId\":\"" + RUNNING + "\",\"invocationToken\":\"" + UUID.randomUUID()
                        + "\",\"outcome\":\"SUCCEEDED\",\"result\":\"\\\"\\\\ud800\\\"\"}", 400, "result"));
        // paths and methods
        c.add(new Case("unknown path", "GET", "/v1/nothing", READ, null, null, 404, "v1/nothing"));
        c.add(new Case("delete execution", "DELETE", "/v1/executions/" + RUNNING, ADMIN, null, null, 405, "DELETE"));
        c.add(new Case("put start", "PUT", start, ADMIN, JSON, "{\"input\":1}", 405, "PUT"));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersAProblemAndChangesNothing(Case c) {
        Map<String, String> before = checksums();

        Http.Response r = send(c);

        assertThat(r.status()).as(r.body()).isEqualTo(c.status());
        assertThat(r.contentType()).as(r.body()).startsWith("application/problem+json");
        String detail = r.json().get("detail").asString();
        assertThat(detail).as(r.body()).isNotBlank().containsIgnoringCase(c.detail());
        assertThat(r.json().get("status").asInt()).isEqualTo(c.status());
        assertThat(checksums()).isEqualTo(before);
    }

    /**
     * Paths the servlet container refuses before Spring sees them (a path above the root, an encoded slash or
     * backslash, a bad escape), sent as raw bytes so that no client normalises them: problem+json all the same.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/v1/executions/../../../../etc/passwd", "/../v1/executions", "/v1/executions/%2e%2e/%2e%2e/x",
            "/v1/executions/a%2fb", "/v1/executions/%zz", "/v1/executions/a%5cb", "/v1/executions/a%00b"})
    void aPathTheContainerRefusesIsAnsweredAsAProblem(String path) throws Exception {
        Map<String, String> before = checksums();

        RawResponse r = rawGet(path);

        assertThat(r.status()).as(r.toString()).isBetween(400, 499);
        assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
        assertThat(Http.JSON.readTree(r.body()).get("status").asInt()).isEqualTo(r.status());
        assertThat(Http.JSON.readTree(r.body()).get("detail").asString()).as(r.toString()).isNotBlank();
        assertThat(checksums()).isEqualTo(before);
    }

    /** An answer read off a socket. */
    record RawResponse(int status, String contentType, String body) {
    }

    private static RawResponse rawGet(String path) throws java.io.IOException {
        URI base = URI.create(orchestrator.baseUrl());
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nAuthorization: Bearer "
                    + READ + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headersEnd = text.indexOf("\r\n\r\n");
            String head = headersEnd < 0 ? text : text.substring(0, headersEnd);
            String body = headersEnd < 0 ? "" : text.substring(headersEnd + 4);
            int status = Integer.parseInt(head.split(" ", 3)[1]);
            String contentType = head.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("");
            if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                body = unchunk(body);
            }
            return new RawResponse(status, contentType, body);
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }

    private static Http.Response send(Case c) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(orchestrator.url(c.path())));
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        request.method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(c.body()));
        return CLIENTS.computeIfAbsent(String.valueOf(c.token()), t -> new Http(c.token())).send(request);
    }

    /** A digest of every row of every table, per table, in one query. */
    private static Map<String, String> checksums() {
        String query = String.join(" union all ", Stream.of("executions", "operations", "history_events", "timers",
                "workers", "worker_workflows", "workflow_versions").map(table -> "select '" + table + "' as name, "
                + "count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '-') as sum from "
                + table + " t").toList());
        Map<String, String> sums = new java.util.TreeMap<>();
        sql.sql(query).query(rs -> {
            sums.put(rs.getString("name"), rs.getString("sum"));
        });
        assertThat(sums).hasSize(7);
        return sums;
    }

    private static String token(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }
}
