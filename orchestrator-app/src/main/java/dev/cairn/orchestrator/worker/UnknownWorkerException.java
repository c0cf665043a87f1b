package dev.cairn.orchestrator.worker;

import dev.cairn.orchestrator.api.ProblemException;
import org.springframework.http.HttpStatus;

/** A heartbeat from a worker the orchestrator does not know: 404, the worker registers again. */
public class UnknownWorkerException extends ProblemException {

    public UnknownWorkerException(String workerId) {
        super(HttpStatus.NOT_FOUND, "Unknown worker", "no worker '" + workerId + "' is registered; register again");
    }
}
