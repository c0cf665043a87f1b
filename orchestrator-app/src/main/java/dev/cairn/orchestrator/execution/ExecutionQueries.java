package dev.cairn.orchestrator.execution;

import dev.cairn.orchestrator.api.InvalidRequestException;
import dev.cairn.orchestrator.api.Page;
import dev.cairn.orchestrator.api.PageToken;
import dev.cairn.orchestrator.sql.SqlTypes;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** Reads executions, their operations and their history for the REST API, page by page. */
@Service
public class ExecutionQueries {

    private final ExecutionStore executions;
    private final OperationRepository operations;
    private final HistoryRepository history;

    public ExecutionQueries(ExecutionStore executions, OperationRepository operations, HistoryRepository history) {
        this.executions = executions;
        this.operations = operations;
        this.history = history;
    }

    public ExecutionView get(String executionId) {
        return executions.find(parseId(executionId)).orElseThrow(() -> new ExecutionNotFoundException(executionId));
    }

    public Page<OperationView> operations(String executionId, Integer limit, String pageToken) {
        UUID id = parseId(executionId);
        int size = PageToken.limit(limit);
        Long after = PageToken.decodeLong("o", pageToken);
        List<Positioned<OperationView>> rows = operations.page(id, after == null ? 0 : after, size + 1);
        if (rows.isEmpty() && !executions.exists(id)) {
            throw new ExecutionNotFoundException(executionId);
        }
        String next = rows.size() > size ? PageToken.encode("o", Long.toString(rows.get(size - 1).position())) : null;
        return new Page<>(rows.stream().limit(size).map(Positioned::item).toList(), next);
    }

    public Page<HistoryEventView> history(String executionId, boolean reverse, Integer limit, String pageToken) {
        UUID id = parseId(executionId);
        int size = PageToken.limit(limit);
        String kind = reverse ? "hr" : "h";
        Long from = PageToken.decodeLong(kind, pageToken);
        List<HistoryEventView> rows = history.page(id, from, reverse, size + 1);
        if (rows.isEmpty() && !executions.exists(id)) {
            throw new ExecutionNotFoundException(executionId);
        }
        String next = rows.size() > size ? PageToken.encode(kind, Long.toString(rows.get(size - 1).seq())) : null;
        return new Page<>(rows.stream().limit(size).toList(), next);
    }

    public Page<ExecutionSummary> list(ExecutionFilter filter, Integer limit, String pageToken) {
        int size = PageToken.limit(limit);
        String kind = filter.ascending() ? "ea" : "ed";
        String position = PageToken.decode(kind, pageToken);
        Instant keyAt = null;
        UUID keyId = null;
        if (position != null) {
            int bar = position.indexOf('|');
            try {
                keyAt = Instant.parse(position.substring(0, Math.max(bar, 0)));
            } catch (RuntimeException e) {
                throw new InvalidRequestException("pageToken", "is not a page token of this list");
            }
            keyId = SqlTypes.uuidOrNull(position.substring(bar + 1));
            if (keyId == null) {
                throw new InvalidRequestException("pageToken", "is not a page token of this list");
            }
        }
        List<ExecutionSummary> rows = executions.list(filter, keyAt, keyId, size + 1);
        String next = null;
        if (rows.size() > size) {
            ExecutionSummary last = rows.get(size - 1);
            next = PageToken.encode(kind, last.startedAt() + "|" + last.executionId());
        }
        return new Page<>(rows.stream().limit(size).toList(), next);
    }

    private static UUID parseId(String executionId) {
        UUID id = SqlTypes.uuidOrNull(executionId);
        if (id == null) {
            throw new ExecutionNotFoundException(executionId);
        }
        return id;
    }
}
