package dev.cairn.testing;

import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.OperationUpdate;
import dev.cairn.worker.replay.InvocationFencedException;
import dev.cairn.worker.replay.Orchestrator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Sits between the engine and the store and, when a fault is armed, crashes the invocation the way a worker that
 * dies does: part of (or none of) a request is recorded, the rest is lost, and the invocation writes nothing more.
 * Each fault fires once. The runner then expires the lease and the execution replays.
 */
final class FaultInjector implements Orchestrator {

    private sealed interface Fault permits LoseCheckpoint, InterruptStep, CrashAfter {
    }

    /** The request holding the step's SUCCEED is lost entirely. */
    private record LoseCheckpoint(String step) implements Fault {
    }

    /** The updates before the step's SUCCEED are recorded (its START), the SUCCEED and what follows are lost. */
    private record InterruptStep(String step) implements Fault {
    }

    /** Updates are recorded until the execution holds {@code operations} operations; the rest is lost. */
    private record CrashAfter(int operations) implements Fault {
    }

    private final InMemoryDurableStore store;
    private final List<Fault> armed = new ArrayList<>();
    private volatile String rootExecutionId;
    private int crashes;

    FaultInjector(InMemoryDurableStore store) {
        this.store = store;
    }

    void rootExecution(String executionId) {
        this.rootExecutionId = executionId;
    }

    synchronized void loseCheckpoint(String step) {
        armed.add(new LoseCheckpoint(step));
    }

    synchronized void interruptStep(String step) {
        armed.add(new InterruptStep(step));
    }

    synchronized void crashAfterOperations(int operations) {
        if (operations < 0) {
            throw new IllegalArgumentException("operations must not be negative");
        }
        armed.add(new CrashAfter(operations));
    }

    synchronized int crashes() {
        return crashes;
    }

    @Override
    public void checkpoint(CheckpointRequest request) {
        List<OperationUpdate> kept = intercept(request.executionId(), request.updates());
        if (kept == null) {
            store.checkpoint(request);
            return;
        }
        crash(request.executionId(), request.invocationToken(), kept);
    }

    @Override
    public void complete(CompletionRequest request) {
        List<OperationUpdate> kept = intercept(request.executionId(), request.updates());
        if (kept == null) {
            store.complete(request);
            return;
        }
        crash(request.executionId(), request.invocationToken(), kept);
    }

    private void crash(String executionId, String token, List<OperationUpdate> kept) {
        if (!kept.isEmpty()) {
            store.checkpoint(new CheckpointRequest(executionId, token, kept));
        }
        throw new InvocationFencedException(executionId, "the local runner crashed this invocation (fault injection)");
    }

    /** The updates to record before crashing, or null to let the request through. */
    private synchronized List<OperationUpdate> intercept(String executionId, List<OperationUpdate> updates) {
        for (Fault fault : List.copyOf(armed)) {
            List<OperationUpdate> kept = null;
            if (fault instanceof LoseCheckpoint f) {
                kept = indexOfSucceed(updates, f.step()) >= 0 ? List.of() : null;
            } else if (fault instanceof InterruptStep f) {
                int at = indexOfSucceed(updates, f.step());
                kept = at >= 0 ? List.copyOf(updates.subList(0, at)) : null;
            } else if (fault instanceof CrashAfter f && executionId.equals(rootExecutionId)) {
                kept = prefixWithin(executionId, updates, f.operations());
            }
            if (kept != null) {
                armed.remove(fault);
                crashes++;
                return kept;
            }
        }
        return null;
    }

    private List<OperationUpdate> prefixWithin(String executionId, List<OperationUpdate> updates, int limit) {
        Set<String> known = new HashSet<>();
        store.operations(executionId).forEach(op -> known.add(op.id()));
        for (int i = 0; i < updates.size(); i++) {
            String id = updates.get(i).id();
            if (!known.contains(id)) {
                if (known.size() >= limit) {
                    return List.copyOf(updates.subList(0, i));
                }
                known.add(id);
            }
        }
        return null;
    }

    private static int indexOfSucceed(List<OperationUpdate> updates, String step) {
        for (int i = 0; i < updates.size(); i++) {
            OperationUpdate u = updates.get(i);
            if (u.type() == OperationType.STEP && u.action() == OperationAction.SUCCEED && step.equals(u.name())) {
                return i;
            }
        }
        return -1;
    }
}
