package dev.cairn.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.orchestrator.support.Http;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.protocol.WorkerRegistration;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A start request names its fields; a field it does not know is refused, so that an input sent at the top level
 * ({@code {"name":"Ada"}} instead of {@code {"input":{"name":"Ada"}}}) is not run as an execution without input.
 */
class StartRequestFieldsIT {

    private static TestDatabase db;
    private static RunningOrchestrator orchestrator;
    private static JdbcClient sql;
    private static final Http http = new Http();

    @BeforeAll
    static void start() {
        db = TestDatabase.create(StartRequestFieldsIT.class);
        sql = JdbcClient.create(db.dataSource());
        orchestrator = RunningOrchestrator.start(db, new MutableClock());
        Http.Response registered = http.post(orchestrator.url("/v1/workers/register"), new WorkerRegistration(
                "fields-worker", "http://127.0.0.1:9", 4, List.of(new WorkflowRef("greeter", "1"))));
        assertThat(registered.status()).isEqualTo(200);
        sql.sql("update workers set last_heartbeat_at = now() - interval '1 day'").update();
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
    void anInputSentAtTheTopLevelIsRefusedNamingTheFieldAndStartsNothing() {
        Http.Response refused = start("{\"name\":\"Ada\"}");

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        JsonNode errors = refused.json().get("errors");
        assertThat(errors.size()).isEqualTo(1);
        assertThat(errors.get(0).get("field").asString()).isEqualTo("name");
        assertThat(errors.get(0).get("message").asString()).contains("\"input\"");
        assertThat(refused.json().get("detail").asString()).startsWith("name: ");
        assertThat(executions()).isZero();
    }

    @Test
    void everyUnknownFieldIsNamedBesideTheOtherErrors() {
        Http.Response refused = start("{\"input\":{},\"executionname\":\"a\",\"timeoutSeconds\":0,\"wait\":\"5s\"}");

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().get("errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("executionname", "wait", "timeoutSeconds");
        assertThat(executions()).isZero();
    }

    @Test
    void theDocumentedFieldsAreAccepted() {
        Http.Response started = start("{\"input\":{\"name\":\"Ada\"},\"executionName\":\"fields-1\",\"version\":\"1\","
                + "\"timeoutSeconds\":60,\"retentionDays\":7}");

        assertThat(started.status()).as(started.body()).isEqualTo(201);
        assertThat(started.json().get("input").get("name").asString()).isEqualTo("Ada");
        sql.sql("delete from executions").update();
    }

    private static long executions() {
        return sql.sql("select count(*) from executions").query(Long.class).single();
    }

    private static Http.Response start(String body) {
        return http.post(orchestrator.url("/v1/workflows/greeter/executions"), "application/json", body);
    }
}
