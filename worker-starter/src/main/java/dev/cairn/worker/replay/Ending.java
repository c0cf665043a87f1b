package dev.cairn.worker.replay;

/** Why an invocation stopped running; the first one reached wins. */
enum Ending {
    /** Every live branch waits on something durable: the invocation completes PENDING. */
    SUSPENDED(true, false),
    /** The handler returned or threw. */
    FINISHED(true, false),
    /** Replay found non-determinism: the invocation completes FAILED whatever the code did with the error. */
    POISONED(true, false),
    /** The orchestrator answered 409: write nothing more. */
    FENCED(false, true),
    /** The orchestrator is unreachable or refused a write: write nothing more. */
    ABANDONED(false, true),
    /** The worker is shutting down: write nothing more, as if the process had died. */
    ABORTED(false, true);

    private final boolean completes;
    private final boolean interruptsAtOnce;

    Ending(boolean completes, boolean interruptsAtOnce) {
        this.completes = completes;
        this.interruptsAtOnce = interruptsAtOnce;
    }

    /** Whether the invocation still sends a completion. */
    boolean completes() {
        return completes;
    }

    /** Whether branch threads are interrupted as soon as the invocation ends this way. */
    boolean interruptsAtOnce() {
        return interruptsAtOnce;
    }
}
