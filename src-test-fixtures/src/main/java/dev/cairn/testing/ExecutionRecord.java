package dev.cairn.testing;

import dev.cairn.api.ErrorInfo;
import java.time.Instant;
import java.util.Objects;

/**
 * An execution as a {@link DurableStore} holds it.
 *
 * @param input the input as JSON text, or null
 * @param result the result as JSON text (SUCCEEDED), else null
 * @param error the error (FAILED), else null
 * @param parentExecutionId the execution whose chained invoke started this one, else null
 */
public record ExecutionRecord(String executionId, String workflow, String version, ExecutionStatus status,
        String input, String result, ErrorInfo error, Instant startedAt, Instant endedAt, String parentExecutionId) {

    public ExecutionRecord {
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(status, "status");
    }
}
