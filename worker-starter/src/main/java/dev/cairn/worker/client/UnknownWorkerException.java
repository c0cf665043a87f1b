package dev.cairn.worker.client;

/** The orchestrator does not know this worker ({@code 404} to a heartbeat): it must register again. */
public class UnknownWorkerException extends RuntimeException {

    public UnknownWorkerException(String workerId) {
        super("The orchestrator does not know worker " + workerId);
    }
}
