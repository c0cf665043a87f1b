package dev.cairn.worker.replay;

import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;

/**
 * What the replay engine needs from the orchestrator: recording checkpoints and the end of an invocation. The
 * worker's HTTP client implements it; tests and the local test kit use in-memory ones.
 *
 * <p>Both calls return once the orchestrator has made the request durable. They throw
 * {@link InvocationFencedException} when the invocation token is no longer current, and
 * {@link OrchestratorUnavailableException} when the orchestrator could not be reached in time. Any other
 * runtime exception means the request was refused for good.
 */
public interface Orchestrator {

    void checkpoint(CheckpointRequest request);

    void complete(CompletionRequest request);
}
