package dev.cairn.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * The peer in the bench: DBOS Transact running the bench's workflows as a library in a JVM of its own (module
 * {@code bench-dbos}, started from its exec jar), on its own database of the same PostgreSQL server, created here and
 * dropped on {@link #close()}. The harness drives it over a loopback control port: each load runs in that JVM (the
 * application calling DBOS in-process, as DBOS is used) and answers its raw figures. A JVM of its own keeps DBOS's
 * libraries off Cairn's classpath and lets its heap, RSS and CPU be read apart, like the orchestrator's and the
 * worker's.
 */
final class DbosPeer implements AutoCloseable {

    static final String JAR = "bench-dbos-0.1.0-SNAPSHOT-exec.jar";

    final Process process;
    final List<String> command;
    final Path log;
    final Db db;
    private final int port;
    private final boolean keepDb;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private DbosPeer(Process process, List<String> command, Path log, Db db, int port, boolean keepDb) {
        this.keepDb = keepDb;
        this.process = process;
        this.command = command;
        this.log = log;
        this.db = db;
        this.port = port;
    }

    /**
     * Creates the peer's database ({@code <bench database>_dbos}), starts its JVM and waits until it answers;
     * {@code keepDb}: {@link #close()} leaves the database (as {@code --keep-db} leaves the bench's).
     */
    static DbosPeer start(Db benchDb, Options o, Path results, boolean keepDb) throws Exception {
        Path jar = jar(o.string("dbos-jar", ""));
        String smokeJvm = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";
        String jvm = o.string("dbos-jvm", "", smokeJvm);
        Db db = benchDb.sibling("dbos");
        db.create();
        int port = Cluster.freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (!jvm.isBlank()) {
            cmd.addAll(Arrays.asList(jvm.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-jar", jar.toString(), "--jdbc-url=" + db.url, "--db-user=" + db.user,
                "--db-password=" + db.password, "--control-port=" + port));
        Path log = Files.createDirectories(results.resolve("logs")).resolve("dbos.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        DbosPeer peer = new DbosPeer(p, cmd, log, db, port, keepDb);
        try {
            peer.awaitReady(Duration.ofSeconds(o.integer("start-timeout-s", 240, 240)));
        } catch (Exception e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    /**
     * The peer's exec jar: {@code --dbos-jar} when given, else {@code bench-dbos/target/} seen from the repository's
     * root or from {@code bench/} (where the bench's tests run).
     */
    static Path jar(String given) {
        if (!given.isBlank()) {
            Path p = Path.of(given);
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("--dbos-jar " + given + " is not a file");
            }
            return p.toAbsolutePath();
        }
        for (String dir : List.of("bench-dbos/target", "../bench-dbos/target")) {
            Path p = Path.of(dir, JAR);
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("the DBOS peer's jar " + JAR + " is not in bench-dbos/target: build it with"
                + " ./mvnw -q -pl bench -am package -DskipTests, or give --dbos-jar PATH, or run without the peer"
                + " (--peer none)");
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the DBOS peer exited with " + process.exitValue() + "; its log "
                        + log + " ends:\n" + tail());
            }
            try {
                if (Files.readString(log).contains("dbos-peer ready")) {
                    probe(false);
                    return;
                }
            } catch (IOException | UncheckedIOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the DBOS peer was not ready after " + timeout + "; its log ends:\n" + tail());
    }

    /** The peer's own line on readiness: {@code dbos-peer ready: DBOS Transact <version> on <url>}. */
    String readyLine() {
        try {
            return Files.readAllLines(log).stream().filter(l -> l.startsWith("dbos-peer ready")).findFirst()
                    .orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    /** Heap, RSS, CPU time, JIT and GC time, threads of the peer's JVM (the keys of {@link Probe}). */
    JsonNode probe(boolean gc) {
        return call("GET", "/probe" + (gc ? "?gc=true" : ""), Duration.ofSeconds(60));
    }

    long cpuNanos() {
        return probe(false).get("cpuNanos").asLong();
    }

    long compileMs() {
        return probe(false).get("compileMs").asLong();
    }

    /** What a closed loop in the peer measured (each latency is the caller's: start → result, in its JVM). */
    record ClosedLoop(double[] latencyMs, double wallS, long failed, long stepsDone) {

        double executionsPerS() {
            return latencyMs.length / wallS;
        }
    }

    /** {@code total} executions of the steps workflow, {@code concurrency} at a time, in the peer. */
    ClosedLoop closedLoop(int total, int concurrency, int steps) {
        JsonNode r = call("POST", String.format(Locale.ROOT, "/closed-loop?executions=%d&concurrency=%d&steps=%d",
                total, concurrency, steps), Duration.ofSeconds(600L + total));
        return new ClosedLoop(doubles(r.get("latencyMs")), r.get("wallNanos").asLong() / 1e9, r.get("failed").asLong(),
                r.get("stepsDone").asLong());
    }

    /** One execution of {@code steps} sequential steps in the peer: each step's duration in ms. */
    double[] sequential(int steps) {
        JsonNode r = call("POST", "/sequential?steps=" + steps, Duration.ofSeconds(600L + steps / 10));
        return Arrays.stream(doubles(r.get("micros"))).map(us -> us / 1000.0).toArray();
    }

    /**
     * {@code samples} executions one after another, each {@code gapMs} after the last ended: ms from before each
     * start until its first step's body ran.
     */
    double[] firstStep(int samples, long gapMs) {
        return doubles(call("POST", "/first-step?samples=" + samples + "&gapMs=" + gapMs,
                Duration.ofSeconds(600L + samples * (1 + gapMs / 1000))).get("ms"));
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    private JsonNode call(String method, String path, Duration timeout) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(timeout).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("DBOS peer " + method + " " + path + " answered " + r.statusCode()
                        + ": " + r.body());
            }
            return Api.JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("the DBOS peer did not answer " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Asks the peer to shut DBOS down, ends its JVM if it does not, and drops its database (unless kept). */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                try {
                    call("POST", "/stop", Duration.ofSeconds(10));
                } catch (RuntimeException e) {
                    // ended below
                }
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            if (!keepDb) {
                db.drop();
            }
        }
    }
}
