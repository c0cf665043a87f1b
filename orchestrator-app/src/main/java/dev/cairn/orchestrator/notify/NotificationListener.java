package dev.cairn.orchestrator.notify;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Listens on the {@link Channels} with a dedicated PostgreSQL connection (outside the pool) and routes each
 * notification to {@link Wakeups}. Reconnects with a capped backoff; after a reconnect it wakes every loop,
 * since notifications may have been missed meanwhile (the loops' polling covers the gap too).
 */
@Component
public class NotificationListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);
    private static final int RECEIVE_TIMEOUT_MILLIS = 500;

    private final JdbcConnectionDetails connectionDetails;
    private final Wakeups wakeups;
    private volatile boolean running;
    private volatile Connection connection;
    private Thread thread;

    public NotificationListener(JdbcConnectionDetails connectionDetails, Wakeups wakeups) {
        this.connectionDetails = connectionDetails;
        this.wakeups = wakeups;
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, "cairn-listen");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        closeQuietly();
        if (thread != null) {
            thread.interrupt();
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

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }

    private void run() {
        long backoffMillis = 100;
        while (running) {
            try {
                connect();
                backoffMillis = 100;
                wakeups.all();
                receive();
            } catch (SQLException e) {
                if (!running) {
                    break;
                }
                log.warn("Notification connection failed ({}); reconnecting in {} ms", e.getMessage(), backoffMillis);
                closeQuietly();
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoffMillis = Math.min(backoffMillis * 2, 5_000);
            }
        }
        closeQuietly();
    }

    private void connect() throws SQLException {
        Connection c = DedicatedConnection.open(connectionDetails, "cairn-orchestrator-listener");
        try (Statement s = c.createStatement()) {
            s.execute("listen " + Channels.READY);
            s.execute("listen " + Channels.TIMER);
            s.execute("listen " + Channels.CLOSED);
        }
        connection = c;
        log.debug("Listening on {}, {} and {}", Channels.READY, Channels.TIMER, Channels.CLOSED);
    }

    private void receive() throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (running) {
            PGNotification[] notifications = pg.getNotifications(RECEIVE_TIMEOUT_MILLIS);
            if (notifications != null) {
                for (PGNotification n : notifications) {
                    wakeups.notified(n.getName(), n.getPID(), n.getParameter());
                }
            }
        }
    }

    private void closeQuietly() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("Closing the notification connection failed: {}", e.getMessage());
            }
        }
    }
}
