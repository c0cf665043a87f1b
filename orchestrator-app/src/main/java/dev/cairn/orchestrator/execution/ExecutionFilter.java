package dev.cairn.orchestrator.execution;

import dev.cairn.protocol.ExecutionStatus;
import java.time.Instant;
import java.util.List;

/**
 * The filters of the execution list; null means "any".
 *
 * @param startedAfter inclusive
 * @param startedBefore exclusive
 * @param ascending oldest first (default newest first)
 */
public record ExecutionFilter(
        String workflow,
        List<ExecutionStatus> statuses,
        String executionName,
        Instant startedAfter,
        Instant startedBefore,
        boolean ascending) {

    public ExecutionFilter {
        statuses = statuses == null ? List.of() : List.copyOf(statuses);
    }
}
