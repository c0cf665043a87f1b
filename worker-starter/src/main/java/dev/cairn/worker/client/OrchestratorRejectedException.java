package dev.cairn.worker.client;

/** The orchestrator refused a request for good (a {@code 4xx} other than {@code 409}). */
public class OrchestratorRejectedException extends RuntimeException {

    private final int status;

    public OrchestratorRejectedException(String path, int status, String body) {
        super("The orchestrator answered " + status + " to " + path + ": " + body);
        this.status = status;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }
}
