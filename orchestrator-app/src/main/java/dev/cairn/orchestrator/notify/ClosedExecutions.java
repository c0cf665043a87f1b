package dev.cairn.orchestrator.notify;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Tells who waits for executions to close that some did. Every path that closes an execution (a completion, an
 * execution timeout, a stop and the chained descendants it stops) calls {@link #announce} right after its commit:
 * this replica's listeners hear it at once, and the other replicas through a {@link Channels#CLOSED} notification
 * that {@link NotificationPublisher} sends after it, coalesced with others. A notification lost (a crash between the
 * commit and the send, a listening connection that broke) is covered by the listeners' own look at what they wait
 * for: they are told when the listening connection was (re)opened ({@link Listener#mayHaveMissed}).
 */
@Component
public class ClosedExecutions {

    private static final Logger log = LoggerFactory.getLogger(ClosedExecutions.class);

    /** Hears of closed executions, in this replica and the others. */
    public interface Listener {

        /** These executions closed (an id may be announced more than once). Called on the announcing thread. */
        void closed(Collection<UUID> executionIds);

        /** Announcements from other replicas may have been missed: look again at what is waited for. */
        void mayHaveMissed();
    }

    private final Wakeups wakeups;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public ClosedExecutions(Wakeups wakeups) {
        this.wakeups = wakeups;
        wakeups.routeClosedTo(this);
    }

    /** Announces that these executions closed; call after the commit that closed them. Nothing for none. */
    public void announce(Collection<UUID> executionIds) {
        if (executionIds.isEmpty()) {
            return;
        }
        deliver(executionIds);
        wakeups.tellReplicasClosed(executionIds);
    }

    /** Adds a listener. */
    public void listen(Listener listener) {
        listeners.add(listener);
    }

    /** A {@link Channels#CLOSED} notification from another replica: comma-separated ids. */
    void received(String payload) {
        if (payload == null || payload.isEmpty()) {
            return;
        }
        List<UUID> ids = new ArrayList<>();
        for (String part : payload.split(",")) {
            try {
                ids.add(UUID.fromString(part.trim()));
            } catch (IllegalArgumentException e) {
                log.debug("Ignoring '{}' in a {} notification", part, Channels.CLOSED);
            }
        }
        if (!ids.isEmpty()) {
            deliver(ids);
        }
    }

    /** Notifications may have been missed. */
    void missed() {
        listeners.forEach(Listener::mayHaveMissed);
    }

    private void deliver(Collection<UUID> ids) {
        for (Listener listener : listeners) {
            listener.closed(ids);
        }
    }
}
