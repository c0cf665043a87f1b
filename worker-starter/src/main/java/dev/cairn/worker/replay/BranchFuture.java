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
        T result;
        try {
            result = operation.get();
        } catch (SuspendExecution | VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            finish(null, e);
            return;
        }
        finish(result, null);
    }

    private void finish(T result, Throwable error) {
        value = result;
        failure = error;
        completedAs = session().nextCompletion();
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
