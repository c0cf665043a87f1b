package dev.cairn.worker.replay;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.OperationAction;
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
 * An in-memory orchestrator that records operations as the worker-protocol README says (including callbacks,
 * condition polls, cancellation and chained invokes), fires timers and completes callbacks and child executions on
 * demand, and builds the next invocation from what it recorded. An update about an operation that is closed, or
 * lies inside a cancelled context, is refused: the request fails and the update is kept in {@link #refused()}.
 */
final class FakeOrchestrator implements Orchestrator {

    private final Clock clock;
    private final Map<String, OperationRecord> operations = new LinkedHashMap<>();
    private final List<CheckpointRequest> checkpoints = new ArrayList<>();
    private final List<CompletionRequest> completions = new ArrayList<>();
    private final List<OperationUpdate> refused = new ArrayList<>();
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
        checkAcceptable(request.updates());
        checkpoints.add(request);
        request.updates().forEach(this::apply);
    }

    @Override
    public synchronized void complete(CompletionRequest request) {
        if (fenced) {
            throw new InvocationFencedException(request.executionId(), "409 token not current");
        }
        checkAcceptable(request.updates());
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

    synchronized int invocations() {
        return invocations;
    }

    /** Fires every timer: started waits succeed, pending retries and condition polls become ready. */
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

    /** {@code POST /v1/callbacks/{id}/succeed}: the callback with this id succeeds with {@code result} (JSON). */
    synchronized void succeedCallback(String callbackId, String result) {
        closeCallback(callbackId, OperationStatus.SUCCEEDED, result, null);
    }

    /** {@code POST /v1/callbacks/{id}/fail}. */
    synchronized void failCallback(String callbackId, ErrorInfo error) {
        closeCallback(callbackId, OperationStatus.FAILED, null, error);
    }

    /** The callback's timeout fired. */
    synchronized void timeOutCallback(String callbackId) {
        closeCallback(callbackId, OperationStatus.TIMED_OUT, null, null);
    }

    /** The child execution of the CHAINED_INVOKE {@code operationId} closed. */
    synchronized void finishChild(String operationId, OperationStatus status, String result, ErrorInfo error) {
        OperationRecord op = operations.get(operationId);
        if (op == null || op.type() != OperationType.CHAINED_INVOKE || op.status().isClosed()) {
            throw new IllegalStateException("no open chained invoke " + operationId);
        }
        operations.put(operationId, with(op, status, op.attempt(), result, error, null));
    }

    /** The id of the callback recorded under {@code operationId}. */
    synchronized String callbackIdOf(String operationId) {
        return operations.get(operationId).callbackId();
    }

    /** Drops the operation {@code id} from the log, as if it had never been recorded. */
    synchronized void forget(String id) {
        operations.remove(id);
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

    /** Updates that arrived for closed or cancelled operations (each made its request fail). */
    synchronized List<OperationUpdate> refused() {
        return List.copyOf(refused);
    }

    /** Every update received, in order, from checkpoints and completions alike. */
    synchronized List<OperationUpdate> updates() {
        List<OperationUpdate> all = new ArrayList<>();
        checkpoints.forEach(c -> all.addAll(c.updates()));
        completions.forEach(c -> all.addAll(c.updates()));
        return all;
    }

    private void closeCallback(String callbackId, OperationStatus status, String result, ErrorInfo error) {
        OperationRecord op = operations.values().stream()
                .filter(o -> callbackId.equals(o.callbackId()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("404 unknown callback " + callbackId));
        if (op.status().isClosed()) {
            throw new IllegalStateException("409 callback " + callbackId + " is " + op.status());
        }
        operations.put(op.id(), with(op, status, op.attempt(), result, error, null));
    }

    /** Refuses a request with an update about a closed operation or one inside a cancelled context. */
    private void checkAcceptable(List<OperationUpdate> updates) {
        Map<String, OperationStatus> after = new LinkedHashMap<>();
        operations.forEach((id, op) -> after.put(id, op.status()));
        for (OperationUpdate update : updates) {
            OperationStatus current = after.get(update.id());
            boolean closed = current != null && current.isClosed();
            boolean insideCancelled = after.entrySet().stream()
                    .anyMatch(e -> e.getValue() == OperationStatus.CANCELLED && update.id().startsWith(e.getKey() + "-"));
            if (closed || insideCancelled) {
                refused.add(update);
                throw new IllegalStateException("update refused, operation " + update.id() + " is closed: " + update);
            }
            after.put(update.id(), statusAfter(update));
            if (update.action() == OperationAction.CANCEL) {
                after.replaceAll((id, status) -> id.startsWith(update.id() + "-") && !status.isClosed()
                        ? OperationStatus.CANCELLED : status);
            }
        }
    }

    private static OperationStatus statusAfter(OperationUpdate update) {
        return switch (update.action()) {
            case START -> OperationStatus.STARTED;
            case SUCCEED -> OperationStatus.SUCCEEDED;
            case FAIL -> OperationStatus.FAILED;
            case RETRY, CONTINUE -> OperationStatus.PENDING;
            case CANCEL -> OperationStatus.CANCELLED;
        };
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
            case START -> start(op, update, attempt);
            case SUCCEED -> with(op, OperationStatus.SUCCEEDED, attempt, update.payload(), null, null);
            case FAIL -> with(op, OperationStatus.FAILED, attempt, null, update.error(), null);
            case RETRY -> with(op, OperationStatus.PENDING, attempt, null, update.error(), update.nextAttemptAt());
            case CONTINUE -> with(op, OperationStatus.PENDING, attempt, update.payload(), null,
                    update.nextAttemptAt());
            case CANCEL -> {
                cancelInside(update.id());
                yield with(op, OperationStatus.CANCELLED, attempt, op.result(), op.error(), null);
            }
        };
        operations.put(update.id(), next);
    }

    private OperationRecord start(OperationRecord op, OperationUpdate update, Integer attempt) {
        String callbackId = null;
        String childExecutionId = null;
        if (update.type() == OperationType.CALLBACK) {
            if (update.options() == null || update.options().callbackId() == null) {
                throw new IllegalStateException("a CALLBACK START needs options.callbackId: " + update);
            }
            callbackId = update.options().callbackId();
        }
        if (update.type() == OperationType.CHAINED_INVOKE) {
            if (update.options() == null || update.options().workflow() == null) {
                throw new IllegalStateException("a CHAINED_INVOKE START needs options.workflow: " + update);
            }
            childExecutionId = "child-of-" + update.id();
        }
        return new OperationRecord(op.id(), op.parentId(), op.type(), op.subType(), op.name(),
                OperationStatus.STARTED, attempt, op.startedAt(), null, null, null, update.scheduledEndAt(), null,
                callbackId, childExecutionId);
    }

    private void cancelInside(String contextId) {
        operations.replaceAll((id, op) -> id.startsWith(contextId + "-") && !op.status().isClosed()
                ? with(op, OperationStatus.CANCELLED, op.attempt(), op.result(), op.error(), null)
                : op);
    }

    private OperationRecord with(OperationRecord op, OperationStatus status, Integer attempt, String result,
            ErrorInfo error, Instant nextAttemptAt) {
        Instant endedAt = status.isClosed() ? clock.instant() : null;
        return new OperationRecord(op.id(), op.parentId(), op.type(), op.subType(), op.name(), status, attempt,
                op.startedAt(), endedAt, result, error, op.scheduledEndAt(), nextAttemptAt, op.callbackId(),
                op.childExecutionId());
    }
}
