package dev.cairn.orchestrator.ledger;

import dev.cairn.protocol.ExecutionCause;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.Lifecycle;
import java.time.Instant;

/**
 * How an invocation ended, ready to store.
 *
 * @param result JSON text (SUCCEEDED)
 * @param error stored error JSON (FAILED)
 * @param closingEvent {@code ExecutionSucceeded} / {@code ExecutionFailed}, null for PENDING
 * @param workerStartedAt when the worker says the invocation started (null: when it was dispatched)
 * @param workerEndedAt when the worker says it ended
 */
public record Completion(
        InvocationOutcome outcome,
        String result,
        String error,
        EventRow closingEvent,
        Instant workerStartedAt,
        Instant workerEndedAt) {

    /** Whether the execution ends with this completion. */
    public boolean closes() {
        return outcome != InvocationOutcome.PENDING;
    }

    /** The execution status it leaves. */
    public String status() {
        ExecutionCause cause = switch (outcome) {
            case SUCCEEDED -> ExecutionCause.INVOCATION_SUCCEEDED;
            case FAILED -> ExecutionCause.INVOCATION_FAILED;
            case PENDING -> ExecutionCause.INVOCATION_PENDING;
        };
        return Lifecycle.execution(cause).next().name();
    }
}
