package dev.cairn.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The harness's own access to PostgreSQL: it creates a fresh database per run on the server of {@code --jdbc-url}
 * (and drops it at the end), runs the limit scenario's transactions, inserts the scale scenario's rows, and reads
 * results and timestamps that the orchestrator stored (reads the harness makes are not what it measures, except
 * where a scenario says so).
 */
final class Db {

    final String adminUrl;
    final String user;
    final String password;
    final String name;
    final String url;

    Db(String adminUrl, String user, String password) {
        this(adminUrl, user, password,
                ("cairn_bench_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT));
    }

    private Db(String adminUrl, String user, String password, String name) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.name = name;
        this.url = withDatabase(adminUrl, name);
    }

    /** Another database on the same server, named after this one ({@code <name>_<suffix>}); not yet created. */
    Db sibling(String suffix) {
        return new Db(adminUrl, user, password, name + "_" + suffix);
    }

    void create() throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
    }

    void drop() {
        try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
        } catch (SQLException e) {
            System.err.println("[bench] could not drop database " + name + ": " + e.getMessage());
        }
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Server version and the settings that decide commit speed. */
    Map<String, Object> serverInfo() {
        Map<String, Object> info = new LinkedHashMap<>();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String setting : List.of("server_version", "shared_buffers", "synchronous_commit", "fsync",
                    "wal_sync_method", "commit_delay", "max_connections", "shared_preload_libraries")) {
                try (ResultSet rs = s.executeQuery("show " + setting)) {
                    rs.next();
                    info.put(setting, rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery("select version()")) {
                rs.next();
                info.put("version", rs.getString(1));
            }
        } catch (SQLException e) {
            info.put("error", e.getMessage());
        }
        return info;
    }

    long queryLong(String sql, Object... args) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    void execute(String sql, Object... args) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            ps.execute();
        }
    }

    /** What the orchestrator stored for executions: status, result, start and end (epoch ms). */
    record Stored(UUID id, String status, String result, long startedMs, long endedMs) {
    }

    List<Stored> executions(List<UUID> ids) throws SQLException {
        List<Stored> out = new ArrayList<>(ids.size());
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "select execution_id, status, result, extract(epoch from started_at) * 1000,"
                        + " extract(epoch from ended_at) * 1000 from executions where execution_id = any(?)")) {
            for (int from = 0; from < ids.size(); from += 10_000) {
                List<UUID> chunk = ids.subList(from, Math.min(ids.size(), from + 10_000));
                ps.setArray(1, c.createArrayOf("uuid", chunk.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Stored((UUID) rs.getObject(1), rs.getString(2), rs.getString(3),
                                Math.round(rs.getDouble(4)), rs.getObject(5) == null ? -1 : Math.round(rs.getDouble(5))));
                    }
                }
            }
        }
        return out;
    }

    /** Invocations the orchestrator recorded for an execution (InvocationCompleted events). */
    long invocations(UUID id) throws SQLException {
        return queryLong("select count(*) from history_events where execution_id = ? and type = 'InvocationCompleted'",
                id);
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    static String withDatabase(String url, String database) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String query = q < 0 ? "" : url.substring(q);
        int slash = base.lastIndexOf('/');
        if (slash < "jdbc:postgresql://".length()) {
            throw new IllegalArgumentException("not a JDBC URL with a database: " + url);
        }
        return base.substring(0, slash + 1) + database + query;
    }
}
