package dev.cairn.orchestrator.execution;

import dev.cairn.orchestrator.api.ProblemHandler;
import dev.cairn.orchestrator.waiting.AnswerWriter;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the answer of a parked {@code ?wait=} request of the executions API as Spring MVC would have written the
 * same {@link ResponseEntity}: the status and headers (unless a long wait sent them already), the view as JSON by
 * the application's mapper, and a failure as the problem {@link ProblemHandler} answers.
 */
final class ExecutionAnswers implements AnswerWriter<ResponseEntity<ExecutionView>> {

    private final JsonMapper json;
    private final String instance;

    /** @param instance the request's path, the {@code instance} of a problem */
    ExecutionAnswers(JsonMapper json, String instance) {
        this.json = json;
        this.instance = instance;
    }

    @Override
    public void write(ResponseEntity<ExecutionView> answer, HttpServletResponse response) throws IOException {
        byte[] body = json.writeValueAsBytes(answer.getBody());
        if (!response.isCommitted()) {
            ExecutionController.head(answer).accept(response);
            response.setContentLength(body.length);
        }
        response.getOutputStream().write(body);
    }

    @Override
    public void fail(Exception error, HttpServletResponse response) throws IOException {
        ResponseEntity<ProblemDetail> problem = ProblemHandler.answerTo(error);
        ProblemDetail detail = problem.getBody();
        if (detail != null && detail.getInstance() == null) {
            detail.setInstance(URI.create(instance));
        }
        byte[] body = json.writeValueAsBytes(detail);
        response.setStatus(problem.getStatusCode().value());
        problem.getHeaders().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
