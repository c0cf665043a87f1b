package dev.cairn.testing;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.ExecutionStatus;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.TimerKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One execution as the in-memory store keeps it: its row, operations, history and timers. Not thread-safe. */
final class StoredExecution {

    final String id;
    final String workflow;
    final String version;
    final String input;
    final Instant startedAt;
    final Instant timeoutAt;
    final String parentExecutionId;
    final String parentOperationId;
    final Map<String, OperationRecord> operations = new LinkedHashMap<>();
    final List<HistoryEvent> history = new ArrayList<>();
    final Map<String, InMemoryDurableStore.Timer> timers = new LinkedHashMap<>();
    final Map<String, Duration> heartbeats = new HashMap<>();
    ExecutionStatus status = ExecutionStatus.RUNNING;
    String result;
    ErrorInfo error;
    Instant endedAt;
    boolean ready = true;
    String token;
    /** The token of the invocation that the last completion closed. */
    String completedToken;
    Instant invocationStartedAt;

    StoredExecution(String id, String workflow, String version, String input, Instant startedAt, Instant timeoutAt,
            String parentExecutionId, String parentOperationId) {
        this.id = id;
        this.workflow = workflow;
        this.version = version;
        this.input = input;
        this.startedAt = startedAt;
        this.timeoutAt = timeoutAt;
        this.parentExecutionId = parentExecutionId;
        this.parentOperationId = parentOperationId;
    }

    boolean isRunning() {
        return status == ExecutionStatus.RUNNING;
    }

    void event(String type, String operationId, String name, Map<String, Object> details, Instant at) {
        history.add(new HistoryEvent(history.size() + 1, type, at, operationId, name, details));
    }

    void event(String type, OperationRecord op, Map<String, Object> details, Instant at) {
        event(type, op.id(), op.name(), details, at);
    }

    void arm(TimerKind kind, Instant dueAt, String operationId) {
        String timerId = kind.timerId(operationId);
        timers.put(timerId, new InMemoryDurableStore.Timer(id, timerId, kind, dueAt, operationId));
    }

    /** Removes the timers of {@code kinds} that belong to operation {@code operationId}. */
    void removeTimers(String operationId, List<TimerKind> kinds) {
        timers.values().removeIf(t -> operationId.equals(t.operationId()) && kinds.contains(t.kind()));
    }

    /** What the orchestrator's {@code invocationDetails} records for an invocation ending with {@code outcome}. */
    Map<String, Object> invocationDetails(Instant endedAt, String outcome) {
        return EventDetails.of("startedAt", EventDetails.text(invocationStartedAt), "endedAt",
                EventDetails.text(endedAt), "outcome", outcome, "workerId", "local");
    }

    ExecutionRecord record() {
        return new ExecutionRecord(id, workflow, version, dev.cairn.testing.ExecutionStatus.of(status), input, result,
                error, startedAt, endedAt, parentExecutionId);
    }
}
