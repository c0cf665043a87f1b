package dev.cairn.worker.replay;

import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.OperationUpdate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An in-memory orchestrator that records operations as the worker-protocol README says, fires timers on demand
 * and builds the next invocation from what it recorded.
 */
final class FakeOrchestrator implements Orchestrator {

    private final Clock clock;
    private final Map<String, OperationRecord> operations = new LinkedHashMap<>();
    private final List<CheckpointRequest> checkpoints = new ArrayList<>();
    private final List<CompletionRequest> completions = new ArrayList<>();
    private Predicate<CheckpointRequest> fenceWhen = request -> false;
    private boolean fenced;
    private int invocations;

    FakeOrchestrator(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void checkpoint(CheckpointRequest request) {
        if (fenced || fenceWhen.test(request)) {
            fenced = true;
            throw new InvocationFencedException(request.executionId(), "409 token not current");
        }
        checkpoints.add(request);
        request.updates().forEach(this::apply);
    }

    @Override
    public synchronized void complete(CompletionRequest request) {
        if (fenced) {
            throw new InvocationFencedException(request.executionId(), "409 token not current");
        }
        completions.add(request);
        request.updates().forEach(this::apply);
    }

    /** Answers 409 from the first checkpoint {@code when} matches on. */
    synchronized void fenceWhen(Predicate<CheckpointRequest> when) {
        this.fenceWhen = when;
    }

    /** The next invocation, carrying everything recorded so far. */
    synchronized Invocation nextInvocation(String input) {
        invocations++;
        return new Invocation("exec-1", "token-" + invocations, "wf", "1", input,
                List.copyOf(operations.values()), Instant.parse("2030-01-01T00:00:00Z"));
    }

    /** Fires every timer: started waits succeed, pending retries become ready. */
    synchronized void fireTimers() {
        operations.replaceAll((id, op) -> {
            if (op.type() == OperationType.WAIT && op.status() == OperationStatus.STARTED) {
                return with(op, OperationStatus.SUCCEEDED, op.attempt(), op.result(), op.error(), null);
            }
            if (op.type() == OperationType.STEP && op.status() == OperationStatus.PENDING) {
                return with(op, OperationStatus.READY, op.attempt(), op.result(), op.error(), op.nextAttemptAt());
            }
            return op;
        });
    }

    synchronized OperationRecord operation(String id) {
        return operations.get(id);
    }

    synchronized List<OperationRecord> operations() {
        return List.copyOf(operations.values());
    }

    synchronized List<CheckpointRequest> checkpoints() {
        return List.copyOf(checkpoints);
    }

    synchronized List<CompletionRequest> completions() {
        return List.copyOf(completions);
    }

    synchronized CompletionRequest lastCompletion() {
        return completions.get(completions.size() - 1);
    }

    /** Every update received, in order, from checkpoints and completions alike. */
    synchronized List<OperationUpdate> updates() {
        List<OperationUpdate> all = new ArrayList<>();
        checkpoints.forEach(c -> all.addAll(c.updates()));
        completions.forEach(c -> all.addAll(c.updates()));
        return all;
    }

    private void apply(OperationUpdate update) {
        OperationRecord op = operations.get(update.id());
        if (op == null) {
            op = new OperationRecord(update.id(), update.parentId(), update.type(), update.subType(),
                    update.name(), OperationStatus.STARTED, update.attempt(), clock.instant(), null, null, null,
                    null, null, null, null);
        }
        Integer attempt = update.attempt() != null ? update.attempt() : op.attempt();
        OperationRecord next = switch (update.action()) {
            case START -> new OperationRecord(op.id(), op.parentId(), op.type(), op.subType(), op.name(),
                    OperationStatus.STARTED, attempt, op.startedAt(), null, null, null, update.scheduledEndAt(),
                    null, null, null);
            case SUCCEED -> with(op, OperationStatus.SUCCEEDED, attempt, update.payload(), null, null);
            case FAIL -> with(op, OperationStatus.FAILED, attempt, null, update.error(), null);
            case RETRY -> with(op, OperationStatus.PENDING, attempt, null, update.error(), update.nextAttemptAt());
        };
        operations.put(update.id(), next);
    }

    private OperationRecord with(OperationRecord op, OperationStatus status, Integer attempt, String result,
            dev.cairn.api.ErrorInfo error, Instant nextAttemptAt) {
        Instant endedAt = status.isClosed() ? clock.instant() : null;
        return new OperationRecord(op.id(), op.parentId(), op.type(), op.subType(), op.name(), status, attempt,
                op.startedAt(), endedAt, result, error, op.scheduledEndAt(), nextAttemptAt, null, null);
    }
}
