package dev.cairn.orchestrator.callback;

import dev.cairn.orchestrator.api.ProblemException;
import org.springframework.http.HttpStatus;

/** No callback has this id: 404. */
public class CallbackNotFoundException extends ProblemException {

    public CallbackNotFoundException() {
        super(HttpStatus.NOT_FOUND, "Callback not found", "no callback has this id");
    }
}
