package dev.cairn.worker.replay;

/**
 * Unwinds a branch thread once its invocation has ended (suspended, finished, fenced, aborted). It is an
 * {@link Error} so that {@code catch (Exception e)} in workflow code cannot swallow it.
 */
final class SuspendExecution extends Error {

    private static final long serialVersionUID = 1L;

    private final transient Ending ending;

    SuspendExecution(Ending ending) {
        super("invocation ended: " + ending, null, false, false);
        this.ending = ending;
    }

    Ending ending() {
        return ending;
    }
}
