package dev.cairn.worker.replay;

/**
 * The orchestrator could not be reached (or kept answering with server errors) for longer than the worker is
 * willing to retry. The invocation is abandoned; the orchestrator re-dispatches it once its lease expires.
 */
public class OrchestratorUnavailableException extends RuntimeException {

    public OrchestratorUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
