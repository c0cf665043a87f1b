package dev.cairn.worker.replay;

import dev.cairn.protocol.OperationSubType;
import java.util.List;

/**
 * {@code anyOf}: completes with the outcome of the future that completed first. Which one that is is decided the
 * first time the code asks for the outcome, from the order in which the futures completed, and recorded before the
 * code gets it ({@link Choice}); replay goes with the recorded choice.
 *
 * <p>Locking: {@link #isDone()} and {@link #completedAs()} take no lock (the branches' lock calls them); the
 * decision is made under this future's own lock, held while the choice is made durable, so that every thread gets
 * the same winner and none gets it before it is durable.
 */
final class AnyOfFuture extends EngineFuture<Object> {

    static final OperationSubType SUB_TYPE = OperationSubType.ANY_OF;
    static final String NAME = "anyOf";

    private final List<EngineFuture<?>> parts;
    private final Choice choice;
    private final Object decision = new Object();
    private volatile EngineFuture<?> winner;

    private AnyOfFuture(ReplaySession session, List<EngineFuture<?>> parts, Choice choice) {
        super(session);
        this.parts = parts;
        this.choice = choice;
    }

    /** An {@code anyOf} of {@code parts}, made by the code running on this thread. */
    static AnyOfFuture of(ReplaySession session, List<EngineFuture<?>> parts) {
        List<EngineFuture<?>> options = List.copyOf(parts);
        return new AnyOfFuture(session, options, Choice.among(session, SUB_TYPE, NAME, options));
    }

    @Override
    public boolean isDone() {
        if (winner != null) {
            return true;
        }
        for (EngineFuture<?> part : parts) {
            if (part.isDone()) {
                return true;
            }
        }
        return false;
    }

    @Override
    long completedAs() {
        long first = NOT_DONE;
        for (EngineFuture<?> part : parts) {
            first = Math.min(first, part.completedAs());
        }
        return first;
    }

    @Override
    Throwable failure() {
        return winner().failure();
    }

    @Override
    Object value() {
        return winner().value();
    }

    private EngineFuture<?> winner() {
        EngineFuture<?> decided = winner;
        if (decided != null) {
            return decided;
        }
        synchronized (decision) {
            if (winner == null) {
                winner = parts.get(choice.decide(this::firstCompleted));
            }
            return winner;
        }
    }

    /** The future that completed first (the first in argument order among those that completed together). */
    private int firstCompleted() {
        int first = -1;
        for (int i = 0; i < parts.size(); i++) {
            long completed = parts.get(i).completedAs();
            if (completed != NOT_DONE && (first < 0 || completed < parts.get(first).completedAs())) {
                first = i;
            }
        }
        if (first < 0) {
            throw new IllegalStateException("anyOf was asked for its outcome before any of its futures completed");
        }
        return first;
    }
}
