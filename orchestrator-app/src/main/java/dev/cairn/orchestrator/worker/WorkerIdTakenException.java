package dev.cairn.orchestrator.worker;

import dev.cairn.orchestrator.api.ProblemException;
import org.springframework.http.HttpStatus;

/**
 * A registration or heartbeat for a worker id that another worker registered (with another invocation secret) and
 * that is not yet dead and expired: 409, nothing changes.
 */
public class WorkerIdTakenException extends ProblemException {

    public WorkerIdTakenException(String workerId, String request) {
        super(HttpStatus.CONFLICT, "Worker id taken", "worker '" + workerId + "' is registered by another worker "
                + "(another invocationSecret); this " + request + " is refused until that worker has been dead "
                + "and expired, or use another workerId");
    }
}
