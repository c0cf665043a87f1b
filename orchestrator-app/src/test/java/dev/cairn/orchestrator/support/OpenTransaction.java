package dev.cairn.orchestrator.support;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A transaction on a connection of its own, left open between statements so that a test can hold the locks one
 * request takes while another request runs: the real statements run through {@link #jdbc()}, the test waits until
 * someone is blocked behind them ({@link #awaitBlocking(String)}), then commits or rolls back.
 */
public final class OpenTransaction implements AutoCloseable {

    private final Connection connection;
    private final JdbcClient jdbc;
    private final JdbcClient observer;
    private final int pid;

    private OpenTransaction(Connection connection, DataSource dataSource) {
        this.connection = connection;
        this.jdbc = JdbcClient.create(new SingleConnectionDataSource(connection, true));
        this.observer = JdbcClient.create(dataSource);
        this.pid = jdbc.sql("select pg_backend_pid()").query(Integer.class).single();
    }

    /** Begins a transaction on a new connection of {@code dataSource}. */
    public static OpenTransaction begin(DataSource dataSource) {
        try {
            Connection connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            return new OpenTransaction(connection, dataSource);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open a connection for the test transaction", e);
        }
    }

    /** Runs statements inside this transaction. */
    public JdbcClient jdbc() {
        return jdbc;
    }

    /** Waits until another backend, running a statement that contains {@code statementPart}, waits for a lock this
     * transaction holds. */
    public void awaitBlocking(String statementPart) {
        await().atMost(Api.PATIENCE).until(() -> observer.sql("""
                select count(*) from pg_stat_activity
                 where :pid = any(pg_blocking_pids(pid)) and strpos(query, :part) > 0
                """).param("pid", pid).param("part", statementPart).query(Long.class).single() > 0);
    }

    public void commit() {
        try {
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("the test transaction did not commit", e);
        }
    }

    public void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            throw new IllegalStateException("the test transaction did not roll back", e);
        }
    }

    @Override
    public void close() {
        try {
            if (!connection.isClosed()) {
                connection.rollback();
                connection.close();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the test connection did not close", e);
        }
    }
}
