package dev.cairn.worker.client;

/**
 * The orchestrator answered {@code 409} to a heartbeat: the worker id is registered with another invocation secret
 * (another process took it after this one was dead and expired, or two processes share an id). This worker is not
 * registered; it must register again, which succeeds once the other one is dead and expired.
 */
public class WorkerIdTakenException extends RuntimeException {

    public WorkerIdTakenException(String workerId, String detail) {
        super("The orchestrator holds worker id " + workerId + " for another worker: " + detail);
    }
}
