package dev.cairn.worker.replay;

import dev.cairn.api.ErrorInfo;
import java.util.Objects;

/**
 * The end of one invocation run.
 *
 * @param outcome how it ended
 * @param result the handler's result as JSON text (SUCCEEDED), else null
 * @param error the execution's error (FAILED), else null
 */
public record RunResult(RunOutcome outcome, String result, ErrorInfo error) {

    public RunResult {
        Objects.requireNonNull(outcome, "outcome");
    }

    static RunResult of(RunOutcome outcome) {
        return new RunResult(outcome, null, null);
    }
}
