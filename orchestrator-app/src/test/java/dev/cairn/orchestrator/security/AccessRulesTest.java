package dev.cairn.orchestrator.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessRulesTest {

    @ParameterizedTest(name = "{0} {1} needs {2}")
    @CsvSource({
            "POST, /v1/workflows/order/executions, CLIENT",
            "GET, /v1/executions, READ",
            "GET, /v1/executions/abc, READ",
            "HEAD, /v1/executions/abc, READ",
            "GET, /v1/executions/abc/operations, READ",
            "GET, /v1/executions/abc/history, READ",
            "POST, /v1/executions/abc/stop, ADMIN",
            "POST, /v1/callbacks/cb/succeed, CLIENT",
            "POST, /v1/callbacks/cb/fail, CLIENT",
            "POST, /v1/callbacks/cb/heartbeat, CLIENT",
            "GET, /v1/workflows, READ",
            "GET, /v1/workers, READ",
            "POST, /v1/workers/register, WORKER",
            "POST, /v1/workers/w-1/heartbeat, WORKER",
            "GET, /v1/workers/w-1, WORKER",
            "POST, /v1/invocations/checkpoints, WORKER",
            "POST, /v1/invocations/complete, WORKER",
            "POST, /v1/invocations/batch, WORKER",
            "DELETE, /v1/executions/abc, ADMIN",
            "POST, /v1/executions, ADMIN",
            "PUT, /v1/workflows/order/executions, ADMIN",
            "GET, /nowhere, READ",
            "POST, /v3/api-docs, ADMIN",
            "GET, /console/executions, READ",
            "GET, /console/executions/abc/live, READ",
            "GET, /console/workers, READ",
            "POST, /console/executions, CLIENT",
            "POST, /console/callbacks/cb/succeed, CLIENT",
            "POST, /console/callbacks/cb/heartbeat, CLIENT",
            "POST, /console/executions/abc/stop, ADMIN",
            "POST, /console/workflows, ADMIN",
    })
    void needsTheRoleOfTheContract(String method, String path, Role role) {
        assertThat(AccessRules.of(method, path)).isEqualTo(new AccessRules.Needs(role));
    }

    @ParameterizedTest
    @CsvSource({"GET, /console/login", "POST, /console/login", "POST, /console/logout",
            "GET, /console/assets/console.css", "GET, /webjars/htmx.org/dist/htmx.min.js", "GET, /v3/api-docs", "GET, /v3/api-docs/swagger-config", "GET, /swagger-ui.html",
            "GET, /swagger-ui/index.html"})
    void letsAnyoneReadTheApiDocument(String method, String path) {
        assertThat(AccessRules.of(method, path)).isEqualTo(new AccessRules.Public());
    }
}
