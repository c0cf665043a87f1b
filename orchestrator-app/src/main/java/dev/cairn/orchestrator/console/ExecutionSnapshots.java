package dev.cairn.orchestrator.console;

import dev.cairn.orchestrator.api.Page;
import dev.cairn.orchestrator.execution.ExecutionQueries;
import dev.cairn.orchestrator.execution.ExecutionView;
import dev.cairn.orchestrator.execution.HistoryEventView;
import dev.cairn.orchestrator.execution.OperationView;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** Reads an execution, its operations and its history through {@link ExecutionQueries} for the execution page. */
@Component
public class ExecutionSnapshots {

    /** Operations loaded at most (the tree, timeline and diagram of larger executions show the first ones). */
    static final int MAX_OPERATIONS = 2_000;
    /** History events loaded at most. */
    static final int MAX_EVENTS = 2_000;
    private static final int PAGE = 1_000;

    private final ExecutionQueries queries;
    private final Clock clock;

    public ExecutionSnapshots(ExecutionQueries queries, Clock clock) {
        this.queries = queries;
        this.clock = clock;
    }

    /**
     * Reads the execution {@code executionId}.
     *
     * @throws dev.cairn.orchestrator.execution.ExecutionNotFoundException when there is none
     */
    public ExecutionSnapshot read(String executionId) {
        ExecutionView execution = queries.get(executionId);
        Instant now = clock.instant();
        List<OperationView> ops = new ArrayList<>();
        boolean opsTruncated = false;
        String token = null;
        do {
            Page<OperationView> page = queries.operations(executionId, PAGE, token);
            ops.addAll(page.items());
            token = page.nextPageToken();
            if (token != null && ops.size() >= MAX_OPERATIONS) {
                opsTruncated = true;
                token = null;
            }
        } while (token != null);
        List<HistoryEventView> events = new ArrayList<>();
        boolean eventsTruncated = false;
        token = null;
        do {
            Page<HistoryEventView> page = queries.history(executionId, false, PAGE, token);
            events.addAll(page.items());
            token = page.nextPageToken();
            if (token != null && events.size() >= MAX_EVENTS) {
                eventsTruncated = true;
                token = null;
            }
        } while (token != null);
        List<OperationNode> tree = OperationNode.forest(ops);
        return new ExecutionSnapshot(execution, List.copyOf(ops), tree, List.copyOf(events), opsTruncated,
                eventsTruncated, Timeline.of(execution, tree, events, now), StructureDiagram.of(tree), now);
    }
}
