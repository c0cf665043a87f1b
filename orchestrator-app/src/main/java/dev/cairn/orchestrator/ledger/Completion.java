package dev.cairn.orchestrator.ledger;

import dev.cairn.protocol.ExecutionCause;
import dev.cairn.protocol.ExecutionTransition;
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

    /**
     * The completion of an invocation that ended with {@code outcome}: the closing event is the one the lifecycle
     * records when the execution closes ({@code ExecutionSucceeded} / {@code ExecutionFailed}), with
     * {@code closingDetails}; none when it stays RUNNING.
     */
    public static Completion of(InvocationOutcome outcome, String result, String error, String closingDetails,
            Instant workerStartedAt, Instant workerEndedAt) {
        ExecutionTransition t = Lifecycle.execution(cause(outcome));
        EventRow closing = !t.closes() ? null
                : new EventRow(t.events().get(t.events().size() - 1), null, null, closingDetails);
        return new Completion(outcome, result, error, closing, workerStartedAt, workerEndedAt);
    }

    /** Whether the execution ends with this completion. */
    public boolean closes() {
        return outcome != InvocationOutcome.PENDING;
    }

    /** The execution status it leaves. */
    public String status() {
        return Lifecycle.execution(cause(outcome)).next().name();
    }

    private static ExecutionCause cause(InvocationOutcome outcome) {
        return switch (outcome) {
            case SUCCEEDED -> ExecutionCause.INVOCATION_SUCCEEDED;
            case FAILED -> ExecutionCause.INVOCATION_FAILED;
            case PENDING -> ExecutionCause.INVOCATION_PENDING;
        };
    }
}
