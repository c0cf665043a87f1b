package dev.cairn.orchestrator.commit;

import dev.cairn.orchestrator.api.ProblemException;
import java.time.Duration;
import org.springframework.http.HttpStatus;

/**
 * A write that found no free {@link GroupCommit} writer within its wait (for checkpoints and completions,
 * {@code cairn.orchestrator.checkpoint-writer-wait}: the writers are stuck on a slow or unreachable database): 503,
 * nothing of it was written, and it may be sent again.
 */
public class WriterBusyException extends ProblemException {

    public WriterBusyException(Duration waited) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", "no checkpoint writer became free within "
                + waited.toMillis() + " ms (the database is slow or unreachable); nothing was written, send it again");
    }
}
