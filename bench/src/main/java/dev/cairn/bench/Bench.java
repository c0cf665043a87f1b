package dev.cairn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Cairn benchmark harness. {@code java -jar bench/target/bench-0.1.0-SNAPSHOT-exec.jar <scenario>[,<scenario>…]
 * [--flag value …]}: creates a fresh database on the PostgreSQL server of {@code --jdbc-url}, starts an orchestrator
 * and a worker as two separate JVMs on it, runs the scenarios (each {@code --runs} times), prints ONE summary line
 * per scenario ({@code BENCH <scenario> …}, medians over the runs), writes {@code <results-dir>/<scenario>.json},
 * stops the JVMs and drops the database. See BENCHMARKS.md for every scenario and flag. {@code faults} is the
 * fault-injection run instead ({@link FaultRun}, RELIABILITY.md): it brings its own PostgreSQL server and processes,
 * and exits with 3 when it found something that must never happen.
 */
public final class Bench {

    static final List<String> ALL = List.of("limit", "throughput", "sequential", "client", "first-step", "fanout",
            "replay", "timers", "scale", "retention");

    /** The scenarios that DBOS Transact, the peer, runs too (unless {@code --peer none}). */
    static final Set<String> WITH_PEER = Set.of("throughput", "sequential", "client", "first-step");

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        for (String a : args) {
            if (a.startsWith("--role=")) {
                Child.run(a.substring("--role=".length()), args);
                return;
            }
        }
        clientSettings();
        int code;
        try {
            if (new Options(args).positional().contains("faults")) {
                code = FaultRun.run(args).passed() ? 0 : 3;
            } else {
                code = run(args).isEmpty() ? 2 : 0;
            }
        } catch (Exception e) {
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    /**
     * The settings of the JDK's HTTP client that the load generator's {@link Api} uses: a failed {@code POST} is not
     * resent silently, and up to 256 idle connections per orchestrator are kept (the JDK's default, 5, would open a
     * new connection for most requests of 32 clients). Unless set on the command line.
     */
    private static void clientSettings() {
        if (System.getProperty("sun.net.http.retryPost") == null) {
            System.setProperty("sun.net.http.retryPost", "false");
        }
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "256");
        }
    }

    /** Runs the scenarios the arguments name; answers the summary lines printed. */
    public static List<String> run(String[] args) throws Exception {
        clientSettings();
        Options o = new Options(args);
        Set<String> scenarios = new LinkedHashSet<>();
        for (String p : o.positional()) {
            for (String s : p.split(",")) {
                switch (s) {
                    case "all", "smoke" -> scenarios.addAll(ALL);
                    case "memory" -> scenarios.add("throughput");
                    case "limit", "throughput", "sequential", "client", "first-step", "fanout", "replay", "timers",
                            "scale", "retention" -> scenarios.add(s);
                    case "faults" -> throw new IllegalArgumentException("faults runs alone: java -jar bench-exec.jar"
                            + " faults [flags]; see RELIABILITY.md");
                    default -> throw new IllegalArgumentException("unknown scenario '" + s + "'; known: " + ALL
                            + ", memory (= throughput), all, smoke, faults");
                }
            }
        }
        if (scenarios.isEmpty()) {
            System.err.println("usage: java -jar bench-exec.jar <limit|throughput|memory|sequential|client|first-step"
                    + "|fanout|timers|replay|scale|retention|all|smoke>[,…] [--runs N] [--jdbc-url URL]"
                    + " [--peer dbos|none] [flags]; see bench/README.md and BENCHMARKS.md;"
                    + " or: faults [--smoke] [flags], see RELIABILITY.md");
            return List.of();
        }
        // run in a fixed order: scale (a million stored rows) and retention (a million deleted ones) last, so that they
        // do not slow the others down
        List<String> ordered = new ArrayList<>(ALL);
        ordered.retainAll(scenarios);

        Path results = Path.of(o.string("results-dir", Files.isDirectory(Path.of("bench")) ? "bench/target/results"
                : "target/results"));
        Files.createDirectories(results);
        Db db = new Db(o.string("jdbc-url", "jdbc:postgresql://127.0.0.1:5432/test"), o.string("db-user", "postgres"),
                o.string("db-password", ""));
        boolean keepDb = o.flag("keep-db");
        boolean jfr = o.flag("jfr");
        String peerName = o.string("peer", "dbos");
        if (!peerName.equals("dbos") && !peerName.equals("none")) {
            throw new IllegalArgumentException("--peer must be dbos or none, was " + peerName);
        }
        boolean withPeer = peerName.equals("dbos") && ordered.stream().anyMatch(WITH_PEER::contains);
        if (withPeer) {
            DbosPeer.jar(o.string("dbos-jar", "")); // fails now, before anything starts, when the peer is not built
        }
        db.create();
        Thread dropper = new Thread(() -> {
            if (!keepDb) {
                db.drop();
            }
        }, "bench-drop-db");
        Runtime.getRuntime().addShutdownHook(dropper);
        List<String> lines = new ArrayList<>();
        Map<String, Object> env = environment(db);
        System.out.println("[bench] scenarios " + ordered + (o.smoke() ? " (smoke counts)" : "") + "; database "
                + db.name + "; results in " + results.toAbsolutePath());
        System.out.println("[bench] machine " + env);
        String command = command(args);
        System.out.println("[bench] command: " + command);
        long t0 = System.nanoTime();
        Vacuumer vacuumer = null;
        Vacuumer peerVacuumer = null;
        DbosPeer peer = null;
        List<SideBySide> tables = new ArrayList<>();
        try (Cluster cluster = Cluster.start(db, o, results, ordered.contains("retention"))) {
            System.out.printf("[bench] orchestrator pid %d and worker pid %d ready after %.1f s (separate JVMs)%n",
                    cluster.orchestrator.process.pid(), cluster.worker.process.pid(), (System.nanoTime() - t0) / 1e9);
            if (withPeer) {
                long tp = System.nanoTime();
                peer = DbosPeer.start(db, o, results, keepDb);
                System.out.printf("[bench] DBOS peer pid %d ready after %.1f s (its own JVM and database %s_dbos)%n",
                        peer.process.pid(), (System.nanoTime() - tp) / 1e9, db.name);
                String dbos = peer.readyLine().replaceFirst("^dbos-peer ready: (.*) on jdbc:.*$", "$1");
                env.put("peer", dbos + " in its own JVM (module bench-dbos), database " + db.name + "_dbos on the"
                        + " same server; idle while Cairn runs, as Cairn's JVMs are while it runs");
                env.put("dbos_command", String.join(" ", peer.command));
            }
            vacuumer = Vacuumer.startIfNeeded(db, o.longValue("vacuum-every-s", 10, 2));
            if (peer != null) {
                peerVacuumer = Vacuumer.startIfNeeded(peer.db, o.longValue("vacuum-every-s", 10, 2),
                        Vacuumer.DBOS_TABLES);
            }
            env.put("bench_vacuum", vacuumer == null ? "no (autovacuum on, or --vacuum-every-s 0)"
                    : "VACUUM (ANALYZE) of Cairn's tables" + (peer != null ? " and of DBOS's" : "") + " every "
                            + o.longValue("vacuum-every-s", 10, 2) + " s by the harness (the server's autovacuum is"
                            + " off)");
            Scenarios s = new Scenarios(o, cluster, db);
            PeerScenarios ps = new PeerScenarios(o, cluster, db, peer);
            for (String name : ordered) {
                if (jfr) {
                    cluster.orchestrator.jfrStart();
                    cluster.worker.jfrStart();
                }
                long ts = System.nanoTime();
                List<Report> reports = switch (name) {
                    case "limit" -> List.of(s.limit());
                    case "throughput" -> ps.throughput(s.throughput());
                    case "sequential" -> List.of(ps.sequential(s.sequential()));
                    case "client" -> List.of(new ClientViewScenario(o, cluster, db, peer).run());
                    case "first-step" -> List.of(ps.firstStep());
                    case "fanout" -> List.of(s.fanout());
                    case "replay" -> List.of(s.replay());
                    case "timers" -> List.of(s.timers());
                    case "scale" -> List.of(s.scale());
                    case "retention" -> List.of(s.retention());
                    default -> throw new IllegalStateException(name);
                };
                double took = (System.nanoTime() - ts) / 1e9;
                if (jfr) {
                    cluster.orchestrator.jfrStop(results.resolve(name + "-orchestrator.jfr"));
                    cluster.worker.jfrStop(results.resolve(name + "-worker.jfr"));
                }
                for (Report r : reports) {
                    r.once.put("scenario_wall_s", Stats.round(took, 1));
                    Map<String, Object> e = new LinkedHashMap<>(env);
                    e.put("loadavg_after", loadavg());
                    e.put("orchestrator_command", String.join(" ", cluster.orchestrator.command));
                    e.put("worker_command", String.join(" ", cluster.worker.command));
                    Path file = r.write(results, e, o.used(), rerun(r.scenario, o));
                    String line = r.summaryLine();
                    System.out.println(line);
                    System.out.println("[bench]   → " + file + " (" + Stats.round(took, 1) + " s)");
                    for (SideBySide t : r.sideBySide) {
                        System.out.print(t.markdown());
                        tables.add(t);
                    }
                    lines.add(line);
                }
            }
            if (!tables.isEmpty()) {
                Path file = writeSideBySide(results, command, env, tables);
                System.out.println("[bench] side by side → " + file);
            }
        } finally {
            if (peerVacuumer != null) {
                peerVacuumer.close();
            }
            if (peer != null) {
                peer.close();
            }
            if (vacuumer != null) {
                vacuumer.close();
            }
            if (!keepDb) {
                db.drop();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(dropper);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
        return lines;
    }

    /** The command line of this run, as it can be typed again (arguments quoted for a POSIX shell where needed). */
    static String command(String[] args) {
        StringBuilder sb = new StringBuilder("java -jar bench/target/bench-0.1.0-SNAPSHOT-exec.jar");
        for (String a : args) {
            sb.append(' ').append(a.matches("[A-Za-z0-9_.,:/=@%+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }

    /** Every side-by-side table of the run in one Markdown file, headed by the command and the machine. */
    static Path writeSideBySide(Path results, String command, Map<String, Object> env, List<SideBySide> tables)
            throws IOException {
        StringBuilder md = new StringBuilder("# Cairn and DBOS Transact side by side\n\n")
                .append("One run of the harness: `").append(command).append("`\n\n")
                .append("- at ").append(env.get("timestamp")).append(", git ").append(env.get("git")).append('\n')
                .append("- ").append(env.get("nproc")).append(" CPUs (").append(env.get("cpu")).append("), ")
                .append(env.get("mem_total_mb")).append(" MB, load before ").append(env.get("loadavg_before"))
                .append(", after ").append(loadavg()).append('\n')
                .append("- ").append(env.get("jdk")).append("; PostgreSQL ").append(env.get("postgresql"))
                .append('\n')
                .append("- vacuum: ").append(env.get("bench_vacuum")).append('\n')
                .append("- peer: ").append(env.get("peer")).append("\n\n")
                .append("Cairn ÷ DBOS above 1 is Cairn ahead where higher is better (rates), behind where lower is")
                .append(" better (latencies, memory).\n\n");
        for (SideBySide t : tables) {
            md.append(t.markdown()).append('\n');
        }
        Path file = results.resolve("side-by-side.md");
        Files.writeString(file, md.toString());
        return file;
    }

    static String rerun(String scenario, Options o) {
        StringBuilder sb = new StringBuilder("java -jar bench/target/bench-0.1.0-SNAPSHOT-exec.jar ")
                .append("memory".equals(scenario) ? "throughput" : scenario);
        o.used().forEach((k, v) -> {
            if (!k.equals("results-dir") && !(v instanceof List<?> l && l.isEmpty())) {
                String value = v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
                        : String.valueOf(v);
                if (k.endsWith("-prop")) {
                    ((List<?>) v).forEach(p -> sb.append(" --").append(k).append(" ").append(p));
                } else if (!(v instanceof Boolean b && !b)) {
                    // quoted for a POSIX shell when it holds anything but plain characters (a list query has '&')
                    sb.append(" --").append(k).append(value.matches("[A-Za-z0-9_.,:/=@%+-]+") ? " " + value
                            : "='" + value.replace("'", "'\\''") + "'");
                }
            }
        });
        return sb.toString();
    }

    static Map<String, Object> environment(Db db) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("timestamp", Instant.now().toString());
        env.put("process_model", "orchestrator and worker in two separate JVMs started by the harness; load generator"
                + " in the harness JVM; PostgreSQL server of --jdbc-url; all on this machine");
        env.put("nproc", Runtime.getRuntime().availableProcessors());
        env.put("mem_total_mb", memTotalMb());
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        env.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        env.put("cpu", cpuModel());
        env.put("loadavg_before", loadavg());
        env.put("git", git());
        env.put("postgresql", db.serverInfo());
        return env;
    }

    static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static long memTotalMb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return "?";
        }
        return "?";
    }

    private static String git() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String head = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            Process d = new ProcessBuilder("git", "--no-optional-locks", "status", "--porcelain",
                    "--untracked-files=no")
                    .redirectErrorStream(true).start();
            boolean dirty = !new String(d.getInputStream().readAllBytes()).isBlank();
            d.waitFor(5, TimeUnit.SECONDS);
            return p.exitValue() == 0 ? head + (dirty ? " (with uncommitted changes)" : "") : "?";
        } catch (IOException | InterruptedException | RuntimeException e) {
            return "?";
        }
    }
}
