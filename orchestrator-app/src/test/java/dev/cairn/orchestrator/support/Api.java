package dev.cairn.orchestrator.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The REST API and the database of one orchestrator, as tests read them. */
public final class Api {

    public static final Duration PATIENCE = Duration.ofSeconds(20);

    private final RunningOrchestrator orchestrator;
    private final JdbcClient sql;
    private final Http http = new Http();

    public Api(RunningOrchestrator orchestrator, JdbcClient sql) {
        this.orchestrator = orchestrator;
        this.sql = sql;
    }

    public Http http() {
        return http;
    }

    public JdbcClient sql() {
        return sql;
    }

    public String url(String path) {
        return orchestrator.url(path);
    }

    public Http.Response post(String path, String body) {
        return http.post(orchestrator.url(path), "application/json", body);
    }

    public String start(String workflow, String body) {
        Http.Response r = post("/v1/workflows/" + workflow + "/executions", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("executionId").asString();
    }

    public JsonNode get(String id) {
        return http.get(orchestrator.url("/v1/executions/" + id)).json();
    }

    public JsonNode awaitStatus(String id, String status) {
        await().atMost(PATIENCE).until(() -> status.equals(get(id).get("status").asString()));
        return get(id);
    }

    /** Waits until the execution has no invocation running and the operation has the status. */
    public JsonNode awaitIdleWith(String id, String operationId, String status) {
        await().atMost(PATIENCE).until(() -> idle(id) && operation(id, operationId)
                .map(op -> status.equals(op.get("status").asString())).orElse(false));
        return operation(id, operationId).orElseThrow();
    }

    public boolean idle(String id) {
        return sql.sql("select invocation_token is null from executions where execution_id = ?::uuid").param(id)
                .query(Boolean.class).single();
    }

    public List<JsonNode> operations(String id) {
        List<JsonNode> ops = new ArrayList<>();
        http.get(orchestrator.url("/v1/executions/" + id + "/operations?limit=1000")).json().get("items")
                .forEach(ops::add);
        return ops;
    }

    public Optional<JsonNode> operation(String id, String operationId) {
        return operations(id).stream().filter(op -> op.get("id").asString().equals(operationId)).findFirst();
    }

    public String status(String id, String operationId) {
        return operation(id, operationId).map(op -> op.get("status").asString()).orElse(null);
    }

    public List<JsonNode> history(String id) {
        List<JsonNode> events = new ArrayList<>();
        http.get(orchestrator.url("/v1/executions/" + id + "/history?limit=1000")).json().get("items")
                .forEach(events::add);
        return events;
    }

    public List<String> historyTypes(String id) {
        return history(id).stream().map(e -> e.get("type").asString()).toList();
    }

    public List<JsonNode> events(String id, String type) {
        return history(id).stream().filter(e -> e.get("type").asString().equals(type)).toList();
    }

    public List<String> timerKinds(String id) {
        return sql.sql("select kind from timers where execution_id = ?::uuid order by kind").param(id)
                .query(String.class).list();
    }

    /** What requests about one execution may change: its row, operations, history and timers. */
    public Map<String, Object> snapshot(String id) {
        Map<String, Object> s = new TreeMap<>();
        s.put("execution", sql.sql("select status || ':' || coalesce(ready_at::text, '-') || ':' || "
                + "coalesce(result, '-') || ':' || coalesce(error, '-') from executions where execution_id = ?::uuid")
                .param(id).query(String.class).single());
        s.put("operations", sql.sql("select operation_id || ':' || status || ':' || coalesce(result, '-') || ':' || "
                + "coalesce(error, '-') from operations where execution_id = ?::uuid order by operation_id")
                .param(id).query(String.class).list());
        s.put("history", sql.sql("select count(*) from history_events where execution_id = ?::uuid").param(id)
                .query(Long.class).single());
        s.put("timers", sql.sql("select timer_id || ':' || due_at::text from timers where execution_id = ?::uuid"
                + " order by timer_id").param(id).query(String.class).list());
        return s;
    }
}
