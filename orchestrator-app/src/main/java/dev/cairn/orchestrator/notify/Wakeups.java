package dev.cairn.orchestrator.notify;

import dev.cairn.orchestrator.loop.Wakeup;
import java.util.Collection;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The wake-up signals of this replica's background loops. Work done in this replica signals them directly and, when
 * other replicas should look too, {@linkplain #tellReplicas tells them} (through {@link NotificationPublisher},
 * after the work committed); work done in other replicas reaches the loops through {@link NotificationListener}.
 */
@Component
public class Wakeups {

    /** Sends notifications to the other replicas. */
    interface Announcer {

        void announce(boolean ready, boolean timers);

        void announceClosed(Collection<UUID> executionIds);
    }

    private final Wakeup ready = new Wakeup();
    private final Wakeup timers = new Wakeup();
    private final FreedCapacity freedCapacity = new FreedCapacity(ready);
    private volatile Announcer announcer;
    private volatile ClosedExecutions closed;
    private volatile int ownBackend = -1;

    /**
     * The dispatcher waits on this: an execution became ready, a worker registered or came back, or (through
     * {@link #freedCapacity()}) a full worker has room again.
     */
    public Wakeup ready() {
        return ready;
    }

    /**
     * An invocation that ended reports its worker's freed room here; it wakes the dispatcher only when the
     * dispatcher waits for room (see {@link FreedCapacity}).
     */
    public FreedCapacity freedCapacity() {
        return freedCapacity;
    }

    /** The timer poller waits on this: a timer was created that is due soon. */
    public Wakeup timers() {
        return timers;
    }

    /**
     * Tells the other replicas, after the change committed, that an execution became ready ({@code ready}) or that a
     * timer due soon was created ({@code timers}). Requests are coalesced; one lost to a broken connection is
     * covered by the replicas' polling. This replica's own loops are signalled directly, not by this.
     */
    public void tellReplicas(boolean ready, boolean timers) {
        Announcer a = announcer;
        if (a != null && (ready || timers)) {
            a.announce(ready, timers);
        }
    }

    /** Tells the other replicas, after the change committed, that these executions closed. */
    void tellReplicasClosed(Collection<UUID> executionIds) {
        Announcer a = announcer;
        if (a != null && !executionIds.isEmpty()) {
            a.announceClosed(executionIds);
        }
    }

    void routeClosedTo(ClosedExecutions closed) {
        this.closed = closed;
    }

    void announceVia(Announcer announcer) {
        this.announcer = announcer;
    }

    /** The PostgreSQL backend this replica announces from: its notifications are not routed back to it. */
    void announcingFrom(int backendPid) {
        this.ownBackend = backendPid;
    }

    /**
     * Routes a notification channel to its signal (closed executions to their listeners), unless this replica sent
     * it.
     */
    void notified(String channel, int senderBackendPid, String payload) {
        if (senderBackendPid == ownBackend) {
            return;
        }
        if (Channels.READY.equals(channel)) {
            ready.signal();
        } else if (Channels.TIMER.equals(channel)) {
            timers.signal();
        } else if (Channels.CLOSED.equals(channel)) {
            ClosedExecutions c = closed;
            if (c != null) {
                c.received(payload);
            }
        }
    }

    /**
     * Wakes every loop and tells who waits for executions to close to look again, e.g. after notifications may have
     * been missed.
     */
    void all() {
        ready.signal();
        timers.signal();
        ClosedExecutions c = closed;
        if (c != null) {
            c.missed();
        }
    }
}
