package dev.cairn.orchestrator.api;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The host's error report valve: answers the errors that Tomcat raises itself, before any servlet or filter runs (a
 * path that climbs above the root, an encoded slash or NUL, a malformed escape, a request line it cannot parse), as
 * {@code application/problem+json} instead of Tomcat's HTML page. Errors raised inside the application are answered
 * by {@link ProblemHandler} and {@link ProblemErrorController}; this valve writes nothing when a body was written.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // as the standard valve: nothing for non-errors, for answers already written, or for errors already reported
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus resolved = HttpStatus.resolve(status);
        String title = resolved != null ? resolved.getReasonPhrase() : "Error";
        String detail = status >= 500 ? "unexpected error"
                : "the request was refused before it reached the API: the path or the request line is not valid "
                        + "(it may climb above the root, hold an encoded '/', '\\' or NUL, or a malformed escape)";
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(ProblemResponses.body(status, title, detail, null));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response cannot take a body any more: nothing more to do
        }
    }
}
