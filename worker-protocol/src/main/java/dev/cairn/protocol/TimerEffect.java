package dev.cairn.protocol;

import java.util.List;

/** What a {@link Transition} does to durable timers. */
public enum TimerEffect {
    /** Leaves every timer as it is. */
    NONE(List.of()),
    /** Arms the operation's WAIT timer at its {@code scheduledEndAt}. */
    ARM_WAIT(List.of(TimerKind.WAIT)),
    /** Arms (or moves) the operation's RETRY timer to its {@code nextAttemptAt}. */
    ARM_RETRY(List.of(TimerKind.RETRY)),
    /**
     * Arms the callback's CALLBACK_TIMEOUT at now + {@code timeout} and CALLBACK_HEARTBEAT at now +
     * {@code heartbeatTimeout}, each only when it is set.
     */
    ARM_CALLBACK(List.of(TimerKind.CALLBACK_TIMEOUT, TimerKind.CALLBACK_HEARTBEAT)),
    /** Removes the operation's own timers (of the kinds its type arms). */
    REMOVE_OWN(List.of()),
    /** Removes the timers of the operation and of every operation inside it (ids {@code <id>-…}). */
    REMOVE_SUBTREE(List.of()),
    /** Arms the execution's EXECUTION_TIMEOUT at its {@code timeoutAt}, when it has one. */
    ARM_EXECUTION_TIMEOUT(List.of(TimerKind.EXECUTION_TIMEOUT)),
    /** Removes every timer of the execution. */
    REMOVE_ALL(List.of());

    private final List<TimerKind> arms;

    TimerEffect(List<TimerKind> arms) {
        this.arms = arms;
    }

    /** The kinds of timer this effect arms (empty when it arms none). */
    public List<TimerKind> arms() {
        return arms;
    }

    /** Whether this effect removes timers. */
    public boolean removes() {
        return this == REMOVE_OWN || this == REMOVE_SUBTREE || this == REMOVE_ALL;
    }
}
