package dev.cairn.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.protocol.ExecutionStatus;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A parked request's answer, written on the response by the thread that answers it, as Spring MVC would write it. */
class ExecutionAnswersTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private final ExecutionAnswers answers = new ExecutionAnswers(json, "/v1/executions/e?wait=30s");
    private final ExecutionView view = new ExecutionView(UUID.randomUUID(), null, "greeter", "1",
            ExecutionStatus.SUCCEEDED, "{\"name\":\"Ada\"}", "\"Hello, Ada\"", null,
            Instant.parse("2026-12-07T10:00:00Z"), Instant.parse("2026-12-07T10:00:01Z"), null, null);

    @Test
    void writesTheStatusHeadersAndTheViewAsTheMapperWritesIt() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        ResponseEntity<ExecutionView> answer = ResponseEntity.status(HttpStatus.CREATED)
                .location(URI.create("/v1/executions/" + view.executionId())).body(view);

        answers.write(answer, response);

        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(response.getHeader("Location")).isEqualTo("/v1/executions/" + view.executionId());
        assertThat(response.getContentType()).startsWith("application/json");
        assertThat(response.getContentAsByteArray()).isEqualTo(json.writeValueAsBytes(view));
        JsonNode body = json.readTree(response.getContentAsString());
        assertThat(body.get("input").get("name").asString()).as("raw JSON stays JSON").isEqualTo("Ada");
        assertThat(response.getContentLength()).isEqualTo(response.getContentAsByteArray().length);
    }

    @Test
    void writesOnlyTheBodyOnceTheStatusAndHeadersWentOut() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        ExecutionController.head(ResponseEntity.ok(view)).accept(response);
        response.getOutputStream().write(' ');
        response.flushBuffer();

        answers.write(ResponseEntity.status(HttpStatus.CREATED).body(view), response);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo(" " + json.writeValueAsString(view));
    }

    @Test
    void writesAFailureAsTheProblemItsRequestWouldHaveAnswered() throws Exception {
        MockHttpServletResponse gone = new MockHttpServletResponse();
        answers.fail(new ExecutionNotFoundException("e"), gone);
        MockHttpServletResponse down = new MockHttpServletResponse();
        answers.fail(new DataAccessResourceFailureException("connection refused"), down);

        assertThat(gone.getStatus()).isEqualTo(404);
        assertThat(gone.getContentType()).startsWith("application/problem+json");
        JsonNode problem = json.readTree(gone.getContentAsString());
        assertThat(problem.get("title").asString()).isEqualTo("Execution not found");
        assertThat(problem.get("detail").asString()).contains("'e'");
        assertThat(problem.get("instance").asString()).isEqualTo("/v1/executions/e?wait=30s");
        assertThat(down.getStatus()).isEqualTo(503);
        assertThat(json.readTree(down.getContentAsString()).get("detail").asString())
                .isEqualTo("the database did not answer").doesNotContain("connection refused");
    }
}
