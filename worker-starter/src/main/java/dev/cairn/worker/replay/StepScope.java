package dev.cairn.worker.replay;

import dev.cairn.api.StepContext;
import org.slf4j.Logger;

/** What a step body sees: its attempt, its id, and a logger that always logs. */
final class StepScope implements StepContext {

    private final String operationId;
    private final int attempt;
    private final Logger logger;

    StepScope(ReplaySession session, String operationId, int attempt) {
        this.operationId = operationId;
        this.attempt = attempt;
        ReplayAwareLogger.LogScope scope =
                new ReplayAwareLogger.LogScope(session.executionId(), operationId, attempt);
        this.logger = new ReplayAwareLogger(session.workflowLogger(), () -> false, () -> scope);
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public String operationId() {
        return operationId;
    }

    @Override
    public Logger logger() {
        return logger;
    }
}
