package dev.cairn.protocol;

/** Which execution a {@link Transition} makes ready for an invocation. */
public enum Wake {
    /** None: the worker is running, or a timer or another event will wake the execution later. */
    NOTHING,
    /** The operation's own execution. */
    EXECUTION,
    /** The chained parent execution, whose CHAINED_INVOKE operation learns how its child closed. */
    PARENT_EXECUTION,
    /** A new chained child execution: it is started, ready. */
    CHILD_EXECUTION
}
