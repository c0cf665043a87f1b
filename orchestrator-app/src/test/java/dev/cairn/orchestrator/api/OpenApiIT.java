package dev.cairn.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.orchestrator.support.Http;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The OpenAPI document and Swagger UI, readable without a token while the API itself needs one. */
class OpenApiIT {

    private static final Http anonymous = new Http();
    private static TestDatabase db;
    private static RunningOrchestrator orchestrator;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(OpenApiIT.class);
        orchestrator = RunningOrchestrator.start(db, new MutableClock(), "cairn.security.open=false",
                "cairn.security.tokens[0].name=ops", "cairn.security.tokens[0].secret={noop}ops-token",
                "cairn.security.tokens[0].roles=admin");
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
    void listsEveryPublicEndpointWithoutAToken() {
        Http.Response r = anonymous.get(orchestrator.url("/v3/api-docs"));

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode doc = r.json();
        assertThat(doc.get("openapi").asString()).startsWith("3.");
        JsonNode paths = doc.get("paths");
        assertThat(paths.propertyNames()).contains(
                "/v1/workflows/{workflow}/executions",
                "/v1/executions",
                "/v1/executions/{executionId}",
                "/v1/executions/{executionId}/operations",
                "/v1/executions/{executionId}/history",
                "/v1/executions/{executionId}/stop",
                "/v1/callbacks/{callbackId}/succeed",
                "/v1/callbacks/{callbackId}/fail",
                "/v1/callbacks/{callbackId}/heartbeat",
                "/v1/workflows",
                "/v1/workers",
                "/v1/workers/register",
                "/v1/workers/{workerId}/heartbeat",
                "/v1/invocations/checkpoints",
                "/v1/invocations/complete",
                "/v1/invocations/batch");
        assertThat(paths.get("/v1/invocations/checkpoints").get("post").get("requestBody").toString())
                .contains("CheckpointRequest");
        assertThat(paths.get("/v1/invocations/batch").get("post").get("responses").get("200").toString())
                .contains("InvocationBatchResponse");
        assertThat(paths.get("/v1/workflows/{workflow}/executions").get("post").get("requestBody").toString())
                .contains("executionName").contains("retentionDays");
        assertThat(paths.propertyNames()).noneMatch(p -> p.startsWith("/error"));
        for (String waiting : List.of("/v1/executions/{executionId}", "/v1/workflows/{workflow}/executions")) {
            JsonNode operation = paths.get(waiting).propertyStream().findFirst().orElseThrow().getValue();
            JsonNode wait = null;
            for (JsonNode parameter : operation.get("parameters")) {
                if (parameter.get("name").asString().equals("wait")) {
                    wait = parameter;
                }
            }
            assertThat(wait).as(waiting + " documents its optional wait").isNotNull();
            assertThat(wait.get("in").asString()).isEqualTo("query");
            assertThat(wait.path("required").asBoolean(false)).as(waiting).isFalse();
            assertThat(wait.get("description").asString()).contains("this wait ends");
        }
        assertThat(paths.get("/v1/executions/{executionId}/stop").has("post")).isTrue();
        assertThat(doc.get("components").get("securitySchemes").get("bearer").get("scheme").asString())
                .isEqualTo("bearer");
        assertThat(anonymous.get(orchestrator.url("/v1/executions")).status()).isEqualTo(401);
    }

    @Test
    void descriptionsShowAngleBracketsOnlyInCodeSpansSoThatSwaggerUiDoesNotSwallowThemAsHtml() {
        JsonNode doc = anonymous.get(orchestrator.url("/v3/api-docs")).json();
        List<String> descriptions = new ArrayList<>();
        collectDescriptions(doc, descriptions);

        assertThat(descriptions).isNotEmpty();
        assertThat(descriptions).allSatisfy(description -> assertThat(description.replaceAll("`[^`]*`", ""))
                .as(description).doesNotContainPattern("<[A-Za-z/!]"));
        assertThat(doc.get("info").get("description").asString()).contains("`Authorization: Bearer <token>`");
    }

    private static void collectDescriptions(JsonNode node, List<String> into) {
        if (node.isObject()) {
            for (String name : node.propertyNames()) {
                JsonNode child = node.get(name);
                if (name.equals("description") && child.isString()) {
                    into.add(child.asString());
                } else {
                    collectDescriptions(child, into);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectDescriptions(child, into));
        }
    }

    @Test
    void servesSwaggerUiWithoutAToken() {
        Http.Response page = anonymous.get(orchestrator.url("/swagger-ui.html"));
        assertThat(page.status()).isIn(200, 302);

        Http.Response index = anonymous.get(orchestrator.url("/swagger-ui/index.html"));
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.body()).contains("swagger-ui");
    }
}
