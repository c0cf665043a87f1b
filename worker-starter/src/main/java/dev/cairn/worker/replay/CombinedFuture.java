package dev.cairn.worker.replay;

import java.util.List;

/** {@code allOf} and {@code anyOf}: derived from other futures, without threads of their own. */
final class CombinedFuture<T> extends EngineFuture<T> {

    private final List<EngineFuture<?>> parts;
    private final boolean all;

    private CombinedFuture(ReplaySession session, List<EngineFuture<?>> parts, boolean all) {
        super(session);
        this.parts = parts;
        this.all = all;
    }

    static CombinedFuture<Void> allOf(ReplaySession session, List<EngineFuture<?>> parts) {
        return new CombinedFuture<>(session, parts, true);
    }

    static CombinedFuture<Object> anyOf(ReplaySession session, List<EngineFuture<?>> parts) {
        return new CombinedFuture<>(session, parts, false);
    }

    @Override
    public boolean isDone() {
        return completedAs() != NOT_DONE;
    }

    @Override
    long completedAs() {
        long result = all ? 0 : NOT_DONE;
        for (EngineFuture<?> part : parts) {
            long completed = part.completedAs();
            if (all && completed == NOT_DONE) {
                return NOT_DONE;
            }
            result = all ? Math.max(result, completed) : Math.min(result, completed);
        }
        return result;
    }

    @Override
    Throwable failure() {
        if (all) {
            for (EngineFuture<?> part : parts) {
                Throwable failure = part.failure();
                if (failure != null) {
                    return failure;
                }
            }
            return null;
        }
        return first().failure();
    }

    @Override
    @SuppressWarnings("unchecked")
    T value() {
        return all ? null : (T) first().value();
    }

    private EngineFuture<?> first() {
        EngineFuture<?> first = null;
        for (EngineFuture<?> part : parts) {
            if (first == null || part.completedAs() < first.completedAs()) {
                first = part;
            }
        }
        return first;
    }
}
