package dev.cairn.orchestrator.ledger;

import java.sql.Types;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which invocation an execution's last completion closed (its token, kept by the completion). A completion is fenced
 * once its token is cleared; one that carries the token of the invocation the last completion closed, and the outcome,
 * result and error that completion left on the execution, is that completion sent again (its answer was lost), and is
 * answered as it was. Read only for fenced completions, never on the hot path.
 */
final class CompletedInvocations {

    private static final String WORKFLOW = """
            select workflow from executions
             where execution_id = :executionId and completed_invocation_token = :token
               and status = :status and result is not distinct from :result and error is not distinct from :error""";

    private final JdbcClient jdbc;

    CompletedInvocations(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /**
     * The execution's workflow when {@code completion} with {@code token} is the completion that closed its last
     * completed invocation.
     */
    Optional<String> workflowIfLastCompleted(UUID executionId, UUID token, Completion completion) {
        return jdbc.sql(WORKFLOW)
                .param("executionId", executionId)
                .param("token", token)
                .param("status", completion.status())
                .param("result", completion.result(), Types.VARCHAR)
                .param("error", completion.error(), Types.VARCHAR)
                .query(String.class).optional();
    }
}
