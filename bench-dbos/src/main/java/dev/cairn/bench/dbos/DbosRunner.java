package dev.cairn.bench.dbos;

import dev.dbos.transact.DBOS;
import dev.dbos.transact.config.DBOSConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * The DBOS peer's main class: {@code java -jar bench-dbos-…-exec.jar --jdbc-url=URL --db-user=U --db-password=P
 * --control-port=N}. Configures DBOS Transact on the database of {@code --jdbc-url} (its system database: the harness
 * creates it and drops it), registers {@link DbosWorkflows}, launches DBOS, then serves the harness's
 * {@link ControlServer} on 127.0.0.1 and prints {@code dbos-peer ready} once it can take loads.
 */
public final class DbosRunner {

    private DbosRunner() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        Map<String, String> a = arguments(args);
        DBOSConfig config = DBOSConfig.defaults("cairn-bench-peer")
                .withDatabaseUrl(required(a, "jdbc-url"))
                .withDbUser(a.getOrDefault("db-user", "postgres"))
                .withDbPassword(a.getOrDefault("db-password", ""))
                .withAdminServer(false);
        DBOS dbos = new DBOS(config);
        PeerWorkflows workflows = dbos.registerProxy(PeerWorkflows.class, new DbosWorkflows(dbos));
        dbos.launch();
        new ControlServer(new PeerLoad(dbos, workflows), () -> {
            dbos.shutdown();
            System.exit(0);
        }).start(Integer.parseInt(required(a, "control-port")));
        System.out.println("dbos-peer ready: DBOS Transact " + DBOS.version() + " on " + config.databaseUrl());
    }

    private static Map<String, String> arguments(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || arg.indexOf('=') < 0) {
                throw new IllegalArgumentException("arguments are --name=value, not " + arg);
            }
            out.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return out;
    }

    private static String required(Map<String, String> a, String name) {
        String v = a.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("--" + name + "= is required");
        }
        return v;
    }
}
