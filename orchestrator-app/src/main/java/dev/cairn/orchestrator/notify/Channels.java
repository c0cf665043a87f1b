package dev.cairn.orchestrator.notify;

/** The PostgreSQL notification channels the replicas use to wake each other. */
public final class Channels {

    /** Notified when an execution became ready for an invocation. */
    public static final String READY = "cairn_ready";

    /** Notified when a timer was created that is due sooner than a poller's next planned look. */
    public static final String TIMER = "cairn_timer";

    /**
     * Notified when executions closed (SUCCEEDED, FAILED, TIMED_OUT, STOPPED); the payload is their ids, separated
     * by commas, at most {@link #CLOSED_IDS_PER_NOTIFICATION} of them (a payload must stay under 8000 bytes).
     */
    public static final String CLOSED = "cairn_closed";

    /** The most execution ids one {@link #CLOSED} notification carries: 200 × 37 bytes stay under 8000. */
    public static final int CLOSED_IDS_PER_NOTIFICATION = 200;

    private Channels() {
    }
}
