package dev.cairn.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * The processes of the fault run: orchestrators behind the {@link RoundRobinProxy} and workers that reach them
 * through it, each a separate JVM started from the harness's own classpath (as {@link Cluster} starts them). A slot
 * is one process at a time: killed with -9 it is started again at once, on fresh ports (an orchestrator's slot in
 * the proxy is pointed at its new port; a worker registers under a new id, {@code w<slot>-g<generation>}). A
 * monitor thread marks a process ready (an orchestrator answering {@code GET /v1/workflows}, a worker listed LIVE
 * in {@code GET /v1/workers}) and starts again any process that exited on its own (e.g. an orchestrator started
 * while PostgreSQL restarted).
 */
final class FaultCluster implements AutoCloseable {

    enum Role { ORCHESTRATOR, WORKER }

    /** One process position: its current process, ports and state. */
    final class Slot {
        final Role role;
        final int index;
        final Path log;
        volatile Process process;
        volatile int port;
        volatile boolean ready;
        volatile int generation;
        volatile String workerId;
        volatile long startedNanos;

        Slot(Role role, int index, Path log) {
            this.role = role;
            this.index = index;
            this.log = log;
        }

        String name() {
            return (role == Role.ORCHESTRATOR ? "o" : "w") + index;
        }
    }

    final List<Slot> orchestrators = new ArrayList<>();
    final List<Slot> workers = new ArrayList<>();
    final RoundRobinProxy proxy;
    final Api api;
    final AtomicLong exitedOnTheirOwn = new AtomicLong();
    private final List<Double> readySeconds = new ArrayList<>();
    private final String dbUrl;
    private final String dbUser;
    private final List<String> orchestratorJvm;
    private final List<String> workerJvm;
    private final List<String> orchestratorProps;
    private final List<String> workerProps;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();
    private final Thread monitor;
    private volatile boolean running = true;

    FaultCluster(Db db, int orchestratorCount, int workerCount, List<String> orchestratorJvm, List<String> workerJvm,
            List<String> orchestratorProps, List<String> workerProps, Path logs) throws IOException {
        this.dbUrl = db.url;
        this.dbUser = db.user;
        this.orchestratorJvm = orchestratorJvm;
        this.workerJvm = workerJvm;
        this.orchestratorProps = orchestratorProps;
        this.workerProps = workerProps;
        this.proxy = new RoundRobinProxy(orchestratorCount);
        this.api = new Api("http://127.0.0.1:" + proxy.port(), Duration.ofSeconds(10));
        Files.createDirectories(logs);
        for (int i = 1; i <= orchestratorCount; i++) {
            orchestrators.add(new Slot(Role.ORCHESTRATOR, i, logs.resolve("o" + i + ".log")));
        }
        for (int i = 1; i <= workerCount; i++) {
            workers.add(new Slot(Role.WORKER, i, logs.resolve("w" + i + ".log")));
        }
        monitor = new Thread(this::monitor, "faults-monitor");
        monitor.setDaemon(true);
    }

    /**
     * Starts every process at once (the orchestrators' schema migrations take turns under Flyway's lock; workers
     * retry their registration until an orchestrator answers); returns when all are ready and the workers serve
     * every workflow in {@code workflows}.
     */
    void start(Set<String> workflows, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Slot s : all()) {
            spawn(s);
        }
        awaitReady(all(), deadline);
        monitor.start();
        String last = "";
        while (System.nanoTime() < deadline) {
            Api.Response r = api.get("/v1/workflows");
            last = r.body();
            if (Api.servedWorkflows(r).containsAll(workflows)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the workers do not serve " + workflows + " after " + timeout + ": " + last);
    }

    List<Slot> all() {
        List<Slot> all = new ArrayList<>(orchestrators);
        all.addAll(workers);
        return all;
    }

    /** Kills the slot's process with SIGKILL, waits for it to be gone, and starts it again at once. */
    void killAndRestart(Slot slot) throws IOException, InterruptedException {
        synchronized (slot) {
            slot.ready = false;
            Process p = slot.process;
            p.destroyForcibly(); // SIGKILL on Linux
            p.waitFor(30, TimeUnit.SECONDS);
            spawn(slot);
        }
    }

    /** Seconds each process took from its start to ready, so far. */
    List<Double> readySeconds() {
        synchronized (readySeconds) {
            return new ArrayList<>(readySeconds);
        }
    }

    private void spawn(Slot slot) throws IOException {
        int port = Cluster.freePort();
        int managementPort = Cluster.freePort();
        slot.generation++;
        List<String> args = new ArrayList<>();
        args.add("--server.port=" + port);
        args.add("--management.server.port=" + managementPort);
        List<String> jvm;
        if (slot.role == Role.ORCHESTRATOR) {
            jvm = orchestratorJvm;
            args.addAll(List.of(
                    "--spring.application.name=cairn-orchestrator-faults-" + slot.name(),
                    "--spring.datasource.url=" + dbUrl,
                    "--spring.datasource.username=" + dbUser,
                    "--cairn.security.open=true",
                    "--cairn.worker.enabled=false"));
            orchestratorProps.forEach(p -> args.add("--" + p));
        } else {
            jvm = workerJvm;
            slot.workerId = slot.name() + "-g" + slot.generation;
            args.addAll(List.of(
                    "--spring.application.name=cairn-worker-faults-" + slot.name(),
                    "--cairn.worker.orchestrator-url=http://127.0.0.1:" + proxy.port(),
                    "--cairn.worker.advertised-url=http://127.0.0.1:" + port,
                    "--cairn.worker.worker-id=" + slot.workerId,
                    "--cairn.worker.registration-retry=250ms",
                    "--spring.autoconfigure.exclude="
                            + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                            + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
                    "--cairn.embedded-postgres.enabled=false",
                    "--management.endpoint.health.validate-group-membership=false"));
            workerProps.forEach(p -> args.add("--" + p));
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvm);
        cmd.addAll(Cluster.launcher());
        cmd.add("--role=" + (slot.role == Role.ORCHESTRATOR ? "orchestrator" : "worker"));
        cmd.addAll(args);
        Files.writeString(slot.log, "\n===== " + Instant.now() + " " + slot.name() + " generation " + slot.generation
                + " on port " + port + " =====\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        slot.port = port;
        slot.ready = false;
        slot.startedNanos = System.nanoTime();
        slot.process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(slot.log.toFile())).start();
        if (slot.role == Role.ORCHESTRATOR) {
            proxy.route(slot.index - 1, port);
        }
    }

    private void awaitReady(List<Slot> slots, long deadline) throws InterruptedException {
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (Slot s : slots) {
                if (!s.process.isAlive()) {
                    throw new IllegalStateException(s.name() + " exited with " + s.process.exitValue()
                            + "; its log " + s.log + " ends:\n" + tail(s.log));
                }
                checkReady(s);
                all &= s.ready;
            }
            if (all) {
                return;
            }
            Thread.sleep(200);
        }
        StringBuilder sb = new StringBuilder("processes not ready in time:");
        for (Slot s : slots) {
            if (!s.ready) {
                sb.append('\n').append(s.name()).append(" log ends:\n").append(tail(s.log));
            }
        }
        throw new IllegalStateException(sb.toString());
    }

    private void monitor() {
        while (running) {
            for (Slot s : all()) {
                synchronized (s) {
                    if (!running) {
                        continue;
                    }
                    if (!s.process.isAlive()) {
                        exitedOnTheirOwn.incrementAndGet();
                        System.out.printf("[faults] %s (generation %d) exited on its own with %d; starting it again%n",
                                s.name(), s.generation, s.process.exitValue());
                        try {
                            spawn(s);
                        } catch (IOException e) {
                            System.err.println("[faults] could not start " + s.name() + ": " + e.getMessage());
                        }
                    }
                }
                if (running && !s.ready) {
                    checkReady(s);
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Marks the slot ready when its current process is (a process started meanwhile is not taken for it). */
    private void checkReady(Slot s) {
        int generation = s.generation;
        int port = s.port;
        String workerId = s.workerId;
        try {
            if (s.role == Role.ORCHESTRATOR) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/workflows")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.ofString());
                markReady(s, generation, r.statusCode() == 200);
            } else {
                Api.Response r = api.get("/v1/workers");
                if (r.status() == 200) {
                    for (JsonNode w : Api.JSON.readTree(r.body()).get("items")) {
                        if (w.get("workerId").asString().equals(workerId)
                                && "LIVE".equals(w.path("status").asString())) {
                            markReady(s, generation, true);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void markReady(Slot s, int generation, boolean ready) {
        synchronized (s) {
            if (!ready || s.ready || s.generation != generation) {
                return;
            }
            s.ready = true;
            synchronized (readySeconds) {
                readySeconds.add((System.nanoTime() - s.startedNanos) / 1e9);
            }
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        running = false;
        monitor.interrupt();
        try {
            monitor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Slot s : all()) {
            if (s.process != null) {
                s.process.destroy();
            }
        }
        for (Slot s : all()) {
            if (s.process != null) {
                try {
                    if (!s.process.waitFor(20, TimeUnit.SECONDS)) {
                        s.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    s.process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
        proxy.close();
    }
}
