package dev.cairn.orchestrator.notify;

import dev.cairn.orchestrator.loop.BackgroundLoop;
import dev.cairn.orchestrator.loop.Wakeup;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.stereotype.Component;

/**
 * Sends the {@link Channels} notifications that tell the other replicas to look, from its own connection (outside
 * the pool), after the change that calls for them committed; requests that arrive while one is being sent are
 * coalesced into the next, so a burst of starts costs one notification. The ids of executions that closed are
 * queued and sent together, {@link Channels#CLOSED_IDS_PER_NOTIFICATION} per notification, all of one send in one
 * statement (one transaction).
 *
 * <p>Why not {@code NOTIFY} inside the writing transaction: PostgreSQL serialises the commits of notifying
 * transactions on one database-wide lock held until the commit is flushed, so every start and every timer-creating
 * checkpoint would queue behind the others' disk flushes. Here only this loop's small transactions take that lock.
 * A notification lost to a crash between the commit and the send, or to a broken connection (the loop tries again
 * after {@link #RETRY}), is covered by the replicas' polling.
 */
@Component
public class NotificationPublisher extends BackgroundLoop implements Wakeups.Announcer {

    private static final Logger log = LoggerFactory.getLogger(NotificationPublisher.class);
    static final Duration RETRY = Duration.ofSeconds(1);
    /** The most closed executions kept to announce while notifications cannot be sent. */
    static final int MAX_PENDING_CLOSED = 100_000;
    /** Nothing to send: the loop sleeps until an announcement wakes it. */
    private static final Duration IDLE = Duration.ofMinutes(1);

    private final JdbcConnectionDetails connectionDetails;
    private final Wakeups wakeups;
    private final Wakeup requested;
    private final AtomicBoolean pendingReady = new AtomicBoolean();
    private final AtomicBoolean pendingTimers = new AtomicBoolean();
    private final ConcurrentLinkedQueue<UUID> pendingClosed = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingClosedCount = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private Connection connection;

    @Autowired
    public NotificationPublisher(JdbcConnectionDetails connectionDetails, Wakeups wakeups) {
        this(connectionDetails, wakeups, new Wakeup());
    }

    private NotificationPublisher(JdbcConnectionDetails connectionDetails, Wakeups wakeups, Wakeup requested) {
        super("cairn-notify", requested);
        this.connectionDetails = connectionDetails;
        this.wakeups = wakeups;
        this.requested = requested;
    }

    @Override
    public void announce(boolean ready, boolean timers) {
        if (ready) {
            pendingReady.set(true);
        }
        if (timers) {
            pendingTimers.set(true);
        }
        requested.signal();
    }

    @Override
    public void announceClosed(Collection<UUID> executionIds) {
        queueClosed(executionIds);
        requested.signal();
    }

    /** How many notifying statements were sent (each carries one or more channels). */
    public long sent() {
        return sent.get();
    }

    @Override
    public synchronized void start() {
        wakeups.announceVia(this);
        super.start();
    }

    /** Stops after the loops that announce (they stop first) and sends what they asked for last. */
    @Override
    public synchronized void stop() {
        wakeups.announceVia(null);
        super.stop();
        try {
            sendPending();
        } catch (SQLException e) {
            log.debug("Could not send the last notifications: {}", e.getMessage());
        }
        closeQuietly();
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }

    @Override
    protected Duration runOnce() {
        try {
            sendPending();
        } catch (SQLException e) {
            closeQuietly();
            throw new UncategorizedSQLException("notifying the other replicas (they poll meanwhile)", null, e);
        }
        return IDLE;
    }

    @Override
    protected Duration idleInterval() {
        return RETRY;
    }

    private synchronized void sendPending() throws SQLException {
        boolean ready = pendingReady.getAndSet(false);
        boolean timers = pendingTimers.getAndSet(false);
        List<UUID> closed = new ArrayList<>();
        for (UUID id = pendingClosed.poll(); id != null; id = pendingClosed.poll()) {
            pendingClosedCount.decrementAndGet();
            closed.add(id);
        }
        if (!ready && !timers && closed.isEmpty()) {
            return;
        }
        try {
            send(ready, timers, closed);
        } catch (SQLException e) {
            // kept for the next try, after the loop's retry pause (not signalled: that would end the pause)
            if (ready) {
                pendingReady.set(true);
            }
            if (timers) {
                pendingTimers.set(true);
            }
            queueClosed(closed);
            throw e;
        }
    }

    private void send(boolean ready, boolean timers, List<UUID> closed) throws SQLException {
        if (connection == null) {
            Connection c = DedicatedConnection.open(connectionDetails, "cairn-orchestrator-notify");
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
                rs.next();
                wakeups.announcingFrom(rs.getInt(1));
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            connection = c;
        }
        if (closed.isEmpty()) {
            String sql = ready && timers
                    ? "select pg_notify('" + Channels.READY + "', ''), pg_notify('" + Channels.TIMER + "', '')"
                    : "select pg_notify('" + (ready ? Channels.READY : Channels.TIMER) + "', '')";
            try (Statement s = connection.createStatement()) {
                s.execute(sql);
            }
        } else {
            sendWithClosed(ready, timers, closed);
        }
        sent.incrementAndGet();
    }

    /**
     * Queues closed executions to announce, at most {@link #MAX_PENDING_CLOSED}: past that (the notifying connection
     * has been failing for long) they are dropped, and the other replicas' periodic recheck finds those closes.
     */
    private void queueClosed(Collection<UUID> executionIds) {
        for (UUID id : executionIds) {
            if (pendingClosedCount.incrementAndGet() > MAX_PENDING_CLOSED) {
                pendingClosedCount.decrementAndGet();
                log.debug("Too many closed executions waiting to be announced; the others' recheck will find {}", id);
            } else {
                pendingClosed.add(id);
            }
        }
    }

    /** One statement, one transaction: each (channel, payload) pair one notification. */
    private void sendWithClosed(boolean ready, boolean timers, List<UUID> closed) throws SQLException {
        List<String> channels = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        if (ready) {
            channels.add(Channels.READY);
            payloads.add("");
        }
        if (timers) {
            channels.add(Channels.TIMER);
            payloads.add("");
        }
        for (int from = 0; from < closed.size(); from += Channels.CLOSED_IDS_PER_NOTIFICATION) {
            StringBuilder ids = new StringBuilder();
            for (UUID id : closed.subList(from, Math.min(closed.size(), from + Channels.CLOSED_IDS_PER_NOTIFICATION))) {
                if (!ids.isEmpty()) {
                    ids.append(',');
                }
                ids.append(id);
            }
            channels.add(Channels.CLOSED);
            payloads.add(ids.toString());
        }
        try (PreparedStatement s = connection.prepareStatement(
                "select pg_notify(c, p) from unnest(cast(? as text[]), cast(? as text[])) as n(c, p)")) {
            s.setArray(1, connection.createArrayOf("text", channels.toArray()));
            s.setArray(2, connection.createArrayOf("text", payloads.toArray()));
            s.execute();
        }
    }

    private synchronized void closeQuietly() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("Closing the notifying connection failed: {}", e.getMessage());
            }
        }
    }
}
