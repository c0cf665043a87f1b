package dev.cairn.worker.replay;

import dev.cairn.api.DurableFuture;
import dev.cairn.api.FutureCombinator;
import java.util.ArrayList;
import java.util.List;

/** Combines futures of one invocation. */
final class EngineCombinator implements FutureCombinator {

    private final ReplaySession session;

    EngineCombinator(ReplaySession session) {
        this.session = session;
    }

    @Override
    public DurableFuture<Void> allOf(DurableFuture<?>[] futures) {
        return new AllOfFuture(session, parts(futures));
    }

    @Override
    public DurableFuture<Object> anyOf(DurableFuture<?>[] futures) {
        return AnyOfFuture.of(session, parts(futures));
    }

    private List<EngineFuture<?>> parts(DurableFuture<?>[] futures) {
        List<EngineFuture<?>> parts = new ArrayList<>(futures.length);
        for (DurableFuture<?> future : futures) {
            if (!(future instanceof EngineFuture<?> part) || part.session() != session) {
                throw new IllegalArgumentException(
                        "allOf/anyOf take futures returned by the DurableContext of the same invocation");
            }
            parts.add(part);
        }
        return parts;
    }
}
