package dev.cairn.orchestrator.callback;

import dev.cairn.orchestrator.api.ProblemException;
import org.springframework.http.HttpStatus;

/** The callback cannot change any more (it completed or timed out, or its execution closed): 409, nothing changed. */
public class CallbackConflictException extends ProblemException {

    private CallbackConflictException(String detail) {
        super(HttpStatus.CONFLICT, "Callback closed", detail);
    }

    static CallbackConflictException callbackClosed(String status) {
        return new CallbackConflictException("the callback is already " + status + " and cannot change any more");
    }

    static CallbackConflictException timingOut() {
        return new CallbackConflictException("the callback's timeout has passed and it is timing out;"
                + " a heartbeat cannot extend it any more");
    }

    static CallbackConflictException executionClosed(String status) {
        return new CallbackConflictException("the callback's execution is " + status
                + "; its callbacks cannot change any more");
    }
}
