package dev.cairn.orchestrator.ledger;

import java.util.List;
import java.util.UUID;

/**
 * What a stop found and did.
 *
 * @param before the execution's status before the stop (only a RUNNING one is stopped)
 * @param stoppedWorkflows the workflow of each execution stopped (it and its descendants)
 * @param parentWoken whether a chained parent became ready (it learnt that its child stopped)
 * @param stoppedIds the id of each execution stopped (it and its descendants)
 */
public record StopResult(String before, List<String> stoppedWorkflows, boolean parentWoken, List<UUID> stoppedIds) {

    public StopResult {
        stoppedWorkflows = List.copyOf(stoppedWorkflows);
        stoppedIds = List.copyOf(stoppedIds);
    }
}
