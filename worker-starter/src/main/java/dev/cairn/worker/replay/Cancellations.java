package dev.cairn.worker.replay;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The contexts of an invocation that were cancelled (branches and iterations abandoned when their batch completed
 * early). Nothing inside them — the context itself or any operation whose id starts with {@code <id>-} — may be
 * claimed or checkpointed any more.
 */
final class Cancellations {

    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();

    void addAll(Collection<String> contextIds) {
        cancelled.addAll(contextIds);
    }

    /** Whether {@code operationId} is a cancelled context or lies inside one. */
    boolean covers(String operationId) {
        if (cancelled.isEmpty() || operationId == null) {
            return false;
        }
        int dash = operationId.indexOf('-');
        while (dash >= 0) {
            if (cancelled.contains(operationId.substring(0, dash))) {
                return true;
            }
            dash = operationId.indexOf('-', dash + 1);
        }
        return cancelled.contains(operationId);
    }
}
