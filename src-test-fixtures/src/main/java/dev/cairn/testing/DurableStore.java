package dev.cairn.testing;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.OperationRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an orchestrator records, seen from outside: the recording rules of the worker-protocol README for
 * checkpoints, completions, timers, callbacks and chained invokes. {@link InMemoryDurableStore} implements it for
 * the local test runner; the orchestrator implements it on PostgreSQL. Both pass {@link DurableStoreContract}, so
 * the in-memory store cannot drift from the real one.
 *
 * <p>Errors: a write with a token that is not the execution's current one throws
 * {@link dev.cairn.worker.replay.InvocationFencedException}; a callback id nobody knows throws
 * {@link UnknownCallbackException}; completing a callback that is no longer open (or whose execution closed) throws
 * {@link CallbackClosedException}; stopping an execution that closed otherwise throws
 * {@link ExecutionClosedException}.
 */
public interface DurableStore {

    /** The store's current time (timers are due relative to it). */
    Instant now();

    /**
     * Starts an execution of a workflow the store knows.
     *
     * @param input the input as JSON text, or null
     * @return the execution id
     */
    String start(String workflow, String input);

    /**
     * The next invocation of a ready execution: it carries a fresh invocation token and every operation recorded
     * so far, in start order. Empty when the execution is not ready (or is closed).
     */
    Optional<Invocation> nextInvocation(String executionId);

    /** {@code POST /v1/invocations/checkpoints}: applies the updates in order, in one transaction. */
    void checkpoint(CheckpointRequest request);

    /** {@code POST /v1/invocations/complete}: applies the remaining updates and the end of the invocation. */
    void complete(CompletionRequest request);

    /** Fires every timer due at {@code now}; returns how many fired. */
    int fireDueTimers(Instant now);

    /** {@code POST /v1/callbacks/{id}/succeed} with {@code result} as JSON text. */
    void completeCallback(String callbackId, String result);

    /** {@code POST /v1/callbacks/{id}/fail}. */
    void failCallback(String callbackId, ErrorInfo error);

    /** {@code POST /v1/callbacks/{id}/heartbeat}: moves the heartbeat timeout to now + the heartbeat timeout. */
    void heartbeatCallback(String callbackId);

    /**
     * {@code POST /v1/executions/{id}/stop}: the execution and its running chained descendants end STOPPED
     * ({@code ExecutionStopped}; a descendant's event names the execution stopped, {@code stoppedWith}), their open
     * steps, contexts and chained invokes end STOPPED, their waits and callbacks CANCELLED ({@code WaitCancelled},
     * {@code ChainedInvokeStopped}), their timers go and their invocation tokens no longer work. When the execution
     * is itself a chained child, its parent's CHAINED_INVOKE ends STOPPED ({@code ChainedInvokeStopped}) and the parent
     * is ready. A stop of a STOPPED execution (a stop sent again) changes nothing.
     *
     * @return the execution as the stop left it
     * @throws ExecutionClosedException when it had closed otherwise ({@code 409})
     * @throws IllegalArgumentException when the store does not know it ({@code 404})
     */
    ExecutionRecord stop(String executionId);

    /** The execution, or empty when the store does not know it. */
    Optional<ExecutionRecord> execution(String executionId);

    /** {@code GET /v1/executions/{id}/operations}: the operations in start order. */
    List<OperationRecord> operations(String executionId);

    /** {@code GET /v1/executions/{id}/history}: the events in order. */
    List<HistoryEvent> history(String executionId);
}
