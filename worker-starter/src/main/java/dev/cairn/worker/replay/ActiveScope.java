package dev.cairn.worker.replay;

/**
 * The context whose workflow code runs on the current thread. {@code DurableFuture.anyOf} is reached without a
 * context (it is static), yet its choice is recorded in the context whose code made it, so that replay, which runs
 * the same code in the same contexts, reads it back there. Step bodies and condition checks run outside any
 * context: a choice made inside one is part of what that body returned, which is recorded already.
 */
final class ActiveScope {

    private static final ThreadLocal<DurableScope> CURRENT = new ThreadLocal<>();

    /** Workflow code, as the handler, a child context function and a step body are. */
    @FunctionalInterface
    interface Code<T> {
        T run() throws Exception;
    }

    private ActiveScope() {
    }

    /** Runs {@code code} as the code of {@code scope} on this thread, then restores what ran here before. */
    static <T> T runIn(DurableScope scope, Code<T> code) throws Exception {
        DurableScope previous = CURRENT.get();
        CURRENT.set(scope);
        try {
            return code.run();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** Runs {@code code} (a step body, a condition check) outside any context. */
    static <T> T runOutside(Code<T> code) throws Exception {
        return runIn(null, code);
    }

    /** The context of {@code session} whose code runs on this thread, or null (a step body, another thread). */
    static DurableScope current(ReplaySession session) {
        DurableScope scope = CURRENT.get();
        return scope != null && scope.session() == session ? scope : null;
    }
}
