package dev.cairn.worker.replay;

import java.util.function.Supplier;

/** The result of an operation that runs in its own branch (a {@code stepAsync}). */
final class BranchFuture<T> extends EngineFuture<T> {

    private volatile long completedAs = NOT_DONE;
    private T value;
    private Throwable failure;

    BranchFuture(ReplaySession session) {
        super(session);
    }

    /** Completes the future with what {@code operation} returns or throws; an unwinding branch leaves it open. */
    void completeWith(Supplier<T> operation) {
        completeWith(operation, -1);
    }

    /**
     * Completes the future with the outcome of an operation that completed in an earlier invocation.
     *
     * @param order the future's completion order ({@link ReplaySession#recordedCompletion})
     */
    void completeRecorded(Supplier<T> operation, long order) {
        completeWith(operation, order);
    }

    private void completeWith(Supplier<T> operation, long order) {
        T result;
        try {
            result = operation.get();
        } catch (SuspendExecution | VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            finish(null, e, order);
            return;
        }
        finish(result, null, order);
    }

    private void finish(T result, Throwable error, long order) {
        value = result;
        failure = error;
        completedAs = order >= 0 ? order : session().nextCompletion();
        session().branches().signal();
    }

    @Override
    public boolean isDone() {
        return completedAs != NOT_DONE;
    }

    @Override
    long completedAs() {
        return completedAs;
    }

    @Override
    Throwable failure() {
        return failure;
    }

    @Override
    T value() {
        return value;
    }
}
