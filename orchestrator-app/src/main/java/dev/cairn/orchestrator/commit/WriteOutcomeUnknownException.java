package dev.cairn.orchestrator.commit;

import dev.cairn.orchestrator.api.ProblemException;
import org.springframework.http.HttpStatus;

/**
 * A write (a checkpoint or a completion) that may or may not have been committed: the connection to the database was
 * lost while it committed, or its statement ran in autocommit and something other than the database failed it. 503:
 * it may be sent again (every request is idempotent: a repeated update is a no-op answered as success).
 */
public class WriteOutcomeUnknownException extends ProblemException {

    public WriteOutcomeUnknownException(Throwable cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", "the connection to the database failed while "
                + "the write was committed, so whether it was written is unknown; send it again");
        initCause(cause);
    }
}
