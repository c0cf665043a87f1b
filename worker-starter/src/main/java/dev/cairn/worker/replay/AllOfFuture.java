package dev.cairn.worker.replay;

import java.util.List;

/**
 * {@code allOf}: done when every future is. It chooses nothing, so it records nothing: its failure is the first
 * failed future in argument order, the same on replay as live.
 */
final class AllOfFuture extends EngineFuture<Void> {

    private final List<EngineFuture<?>> parts;

    AllOfFuture(ReplaySession session, List<EngineFuture<?>> parts) {
        super(session);
        this.parts = List.copyOf(parts);
    }

    @Override
    public boolean isDone() {
        for (EngineFuture<?> part : parts) {
            if (!part.isDone()) {
                return false;
            }
        }
        return true;
    }

    @Override
    long completedAs() {
        long last = 0;
        for (EngineFuture<?> part : parts) {
            last = Math.max(last, part.completedAs());
        }
        return last;
    }

    @Override
    Throwable failure() {
        for (EngineFuture<?> part : parts) {
            Throwable failure = part.failure();
            if (failure != null) {
                return failure;
            }
        }
        return null;
    }

    @Override
    Void value() {
        return null;
    }
}
