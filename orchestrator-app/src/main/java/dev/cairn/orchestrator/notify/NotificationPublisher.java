package dev.cairn.orchestrator.notify;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Sends the {@link Channels} notifications that tell the other replicas to look, from its own connection (outside
 * the pool), after the change that calls for them committed; requests that arrive while one is being sent are
 * coalesced into the next, so a burst of starts costs one notification.
 *
 * <p>Why not {@code NOTIFY} inside the writing transaction: PostgreSQL serialises the commits of notifying
 * transactions on one database-wide lock held until the commit is flushed, so every start and every timer-creating
 * checkpoint would queue behind the others' disk flushes. Here only this thread's small transactions take that
 * lock. A notification lost to a crash between the commit and the send is covered by the replicas' polling.
 */
@Component
public class NotificationPublisher implements SmartLifecycle, Wakeups.Announcer {

    private static final Logger log = LoggerFactory.getLogger(NotificationPublisher.class);
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final JdbcConnectionDetails connectionDetails;
    private final Wakeups wakeups;
    private final Object lock = new Object();
    private final AtomicLong sent = new AtomicLong();
    private boolean pendingReady;
    private boolean pendingTimers;
    private volatile boolean running;
    private Thread thread;
    private Connection connection;

    public NotificationPublisher(JdbcConnectionDetails connectionDetails, Wakeups wakeups) {
        this.connectionDetails = connectionDetails;
        this.wakeups = wakeups;
    }

    @Override
    public void announce(boolean ready, boolean timers) {
        synchronized (lock) {
            pendingReady |= ready;
            pendingTimers |= timers;
            lock.notifyAll();
        }
    }

    /** How many notifying statements were sent (each carries one or both channels). */
    public long sent() {
        return sent.get();
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        wakeups.announceVia(this);
        thread = new Thread(this::run, "cairn-notify");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        wakeups.announceVia(null);
        synchronized (lock) {
            lock.notifyAll();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before the loops that announce and stops after them, so that their last announcements go out. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }

    private void run() {
        long backoffMillis = 100;
        while (true) {
            boolean ready;
            boolean timers;
            synchronized (lock) {
                while (running && !pendingReady && !pendingTimers) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        running = false;
                    }
                }
                if (!pendingReady && !pendingTimers) {
                    break;
                }
                ready = pendingReady;
                timers = pendingTimers;
                pendingReady = false;
                pendingTimers = false;
            }
            try {
                send(ready, timers);
                backoffMillis = 100;
            } catch (SQLException e) {
                closeQuietly();
                if (!running) {
                    break;
                }
                log.warn("Could not notify the other replicas ({}); trying again in {} ms (they poll meanwhile)",
                        e.getMessage(), backoffMillis);
                announce(ready, timers);
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
            }
        }
        closeQuietly();
    }

    private void send(boolean ready, boolean timers) throws SQLException {
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
        String sql = ready && timers
                ? "select pg_notify('" + Channels.READY + "', ''), pg_notify('" + Channels.TIMER + "', '')"
                : "select pg_notify('" + (ready ? Channels.READY : Channels.TIMER) + "', '')";
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
        sent.incrementAndGet();
    }

    private void closeQuietly() {
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
