package dev.cairn.orchestrator.checkpoint;

import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which invocation an execution's last completion closed (its token, kept by the completion). A completion is fenced
 * once its token is cleared; one that carries the token of the invocation the last completion closed is that
 * completion sent again (its answer was lost), and is answered as it was. Read only for fenced completions, never on
 * the hot path.
 */
final class CompletedInvocations {

    private static final String WORKFLOW = """
            select workflow from executions
             where execution_id = :executionId and completed_invocation_token = :token""";

    private final JdbcClient jdbc;

    CompletedInvocations(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** The execution's workflow when {@code token} is that of the invocation its last completion closed. */
    Optional<String> workflowIfLastCompleted(UUID executionId, UUID token) {
        return jdbc.sql(WORKFLOW).param("executionId", executionId).param("token", token).query(String.class)
                .optional();
    }
}
