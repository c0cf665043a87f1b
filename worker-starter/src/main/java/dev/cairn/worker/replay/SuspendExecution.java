package dev.cairn.worker.replay;

/**
 * Unwinds a branch thread once its invocation has ended (suspended, finished, fenced, aborted), or once the batch
 * branch it runs in was abandoned. It is an {@link Error} so that {@code catch (Exception e)} in workflow code
 * cannot swallow it.
 */
final class SuspendExecution extends Error {

    private static final long serialVersionUID = 1L;

    private final transient Ending ending;

    SuspendExecution(Ending ending) {
        this(ending, "invocation ended: " + ending);
    }

    private SuspendExecution(Ending ending, String message) {
        super(message, null, false, false);
        this.ending = ending;
    }

    /** Unwinds a thread of a cancelled branch or iteration: it may not claim or checkpoint anything more. */
    static SuspendExecution abandoned(String operationId) {
        return new SuspendExecution(null, "operation " + operationId + " lies in a cancelled context");
    }

    /** How the invocation ended, or null when only this branch was abandoned. */
    Ending ending() {
        return ending;
    }
}
