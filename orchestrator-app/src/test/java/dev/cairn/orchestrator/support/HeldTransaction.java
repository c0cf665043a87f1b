package dev.cairn.orchestrator.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A transaction held open on a connection of its own, so that a test can interleave another one with it at a chosen
 * point: it locks what it runs ({@code select ... for update}, an update, {@code pg_advisory_lock}) until the test
 * commits or rolls it back.
 */
public final class HeldTransaction implements AutoCloseable {

    private final Connection connection;

    private HeldTransaction(Connection connection) {
        this.connection = connection;
    }

    /** Opens a transaction on a new connection of {@code dataSource}. */
    public static HeldTransaction begin(DataSource dataSource) {
        try {
            Connection connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            return new HeldTransaction(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open a connection", e);
        }
    }

    /** Runs one statement in the transaction (its rows, if any, are read and dropped). */
    public HeldTransaction run(String sql, Object... params) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.execute();
            return this;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql, e);
        }
    }

    public void commit() {
        try {
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot commit", e);
        }
    }

    /** Rolls back what is still open and closes the connection. */
    @Override
    public void close() {
        try (connection) {
            connection.rollback();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot roll back", e);
        }
    }
}
