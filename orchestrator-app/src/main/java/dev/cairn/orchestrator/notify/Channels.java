package dev.cairn.orchestrator.notify;

/** The PostgreSQL notification channels the replicas use to wake each other. */
public final class Channels {

    /** Notified when an execution became ready for an invocation. */
    public static final String READY = "cairn_ready";

    /** Notified when a timer was created that is due sooner than a poller's next planned look. */
    public static final String TIMER = "cairn_timer";

    private Channels() {
    }
}
