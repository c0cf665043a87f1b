package dev.cairn.orchestrator.notify;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/** Opens a PostgreSQL connection outside the pool, for a loop that keeps one for itself. */
final class DedicatedConnection {

    private DedicatedConnection() {
    }

    static Connection open(JdbcConnectionDetails details, String applicationName) throws SQLException {
        Properties props = new Properties();
        if (details.getUsername() != null) {
            props.setProperty("user", details.getUsername());
        }
        if (details.getPassword() != null) {
            props.setProperty("password", details.getPassword());
        }
        props.setProperty("ApplicationName", applicationName);
        Connection c = DriverManager.getConnection(details.getJdbcUrl(), props);
        c.setAutoCommit(true);
        return c;
    }
}
