package dev.cairn.orchestrator.console;

import dev.cairn.orchestrator.execution.ExecutionView;
import dev.cairn.orchestrator.execution.HistoryEventView;
import dev.cairn.orchestrator.execution.OperationView;
import dev.cairn.protocol.ExecutionStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Everything the execution page shows, read at one moment.
 *
 * @param operationsTruncated whether the execution has more operations than the page loads
 * @param historyTruncated whether it has more history events than the page loads
 * @param now when it was read (the end of the timeline of a running execution)
 */
public record ExecutionSnapshot(
        ExecutionView execution,
        List<OperationView> operations,
        List<OperationNode> tree,
        List<HistoryEventView> history,
        boolean operationsTruncated,
        boolean historyTruncated,
        Timeline timeline,
        StructureDiagram diagram,
        Instant now) {

    public boolean running() {
        return execution.status() == ExecutionStatus.RUNNING;
    }

    /** Callbacks still waiting for their result (only while the execution runs). */
    public List<OperationView> openCallbacks() {
        return running() ? operations.stream()
                .filter(o -> "CALLBACK".equals(o.type()) && "STARTED".equals(o.status()) && o.callbackId() != null)
                .toList() : List.of();
    }

    /** Executions started by this one's chained invokes. */
    public List<UUID> children() {
        return operations.stream().map(OperationView::childExecutionId).filter(java.util.Objects::nonNull).distinct()
                .toList();
    }

    /**
     * A short value that changes whenever something the page shows changes: the live view is swapped only then,
     * so an open form is not replaced while nothing happens.
     */
    public String fingerprint() {
        long h = execution.status().hashCode();
        for (OperationView o : operations) {
            h = 31 * h + (o.id() + '|' + o.status() + '|' + o.attempt() + '|' + o.endedAt()).hashCode();
        }
        h = 31 * h + (history.isEmpty() ? 0 : history.get(history.size() - 1).seq());
        return Long.toHexString(h);
    }
}
