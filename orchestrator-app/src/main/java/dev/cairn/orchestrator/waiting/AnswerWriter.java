package dev.cairn.orchestrator.waiting;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Writes a parked request's answer on its response, from whichever thread answers it: the request is not dispatched
 * through the servlet container and Spring MVC a second time (that second pass was a sixth of the orchestrator's CPU
 * when every start waited for its execution).
 *
 * @param <T> the answer
 */
public interface AnswerWriter<T> {

    /**
     * Writes {@code answer}: its status, headers and body, or only its body when the status and headers went out
     * already (a long wait sent them with its first beat).
     */
    void write(T answer, HttpServletResponse response) throws IOException;

    /** Writes {@code error} (reading the answer failed) as the problem its own request would have answered. */
    void fail(Exception error, HttpServletResponse response) throws IOException;
}
