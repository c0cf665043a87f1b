package dev.cairn.worker.replay;

import java.time.Duration;
import java.util.List;

/**
 * Told what the engine did, for metrics and the like. Every method does nothing by default. Calls come from the
 * threads that run invocations and branches, so implementations must be thread-safe and quick; an exception
 * thrown by a listener is logged and otherwise ignored, it never changes what the engine does.
 */
public interface EngineListener {

    /** A listener that does nothing. */
    EngineListener NONE = new EngineListener() {
    };

    /**
     * A step body ran (one attempt) and what the attempt came to is decided; called before that is
     * checkpointed. Not called when the body did not run: a step that replays its recorded outcome, an
     * at-most-once attempt found interrupted on replay, a failed attempt whose invocation ended (fenced, aborted)
     * meanwhile.
     *
     * @param workflow the workflow's name
     * @param operationId the step's operation id
     * @param outcome what the attempt came to
     * @param duration how long the body ran (wall-clock time, whatever the engine's clock)
     */
    default void stepFinished(String workflow, String operationId, StepOutcome outcome, Duration duration) {
    }

    /**
     * One invocation ended.
     *
     * @param workflow the workflow's name
     * @param executionId the execution the invocation belonged to
     * @param outcome how it ended
     * @param duration how long it ran (wall-clock time)
     */
    default void invocationFinished(String workflow, String executionId, RunOutcome outcome, Duration duration) {
    }

    /** A listener that tells each of {@code listeners} in order; {@link #NONE} for none. */
    static EngineListener of(List<? extends EngineListener> listeners) {
        List<EngineListener> all = List.copyOf(listeners);
        if (all.isEmpty()) {
            return NONE;
        }
        if (all.size() == 1) {
            return all.get(0);
        }
        return new EngineListener() {
            @Override
            public void stepFinished(String workflow, String operationId, StepOutcome outcome, Duration duration) {
                all.forEach(l -> ListenerCalls.tell(
                        () -> l.stepFinished(workflow, operationId, outcome, duration)));
            }

            @Override
            public void invocationFinished(String workflow, String executionId, RunOutcome outcome,
                    Duration duration) {
                all.forEach(l -> ListenerCalls.tell(
                        () -> l.invocationFinished(workflow, executionId, outcome, duration)));
            }
        };
    }
}
