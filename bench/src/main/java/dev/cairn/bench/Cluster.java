package dev.cairn.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import tools.jackson.databind.JsonNode;

/**
 * The system under test as separate processes on this machine, as a user runs it: one orchestrator JVM and one
 * worker JVM, each started from the harness's own classpath ({@code java -jar bench-…-exec.jar --role=…}, or
 * {@code java -cp … dev.cairn.bench.Bench --role=…} when the harness itself runs from a classpath), logging to
 * {@code <results>/logs/}. The load generator is the harness's JVM.
 */
final class Cluster implements AutoCloseable {

    static final Set<String> WORKFLOWS = Set.of("bench-steps", "bench-sequential", "bench-fanout", "bench-timer",
            "bench-replay", "bench-noop", "bench-first-step");

    final Node orchestrator;
    final Node worker;
    final Api api;

    /** One child JVM: its process, its ports and its probe. */
    static final class Node {
        final String role;
        final Process process;
        final int port;
        final int managementPort;
        final int probePort;
        final Path log;
        final List<String> command;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();

        Node(String role, Process process, int port, int managementPort, int probePort, Path log,
                List<String> command) {
            this.role = role;
            this.process = process;
            this.port = port;
            this.managementPort = managementPort;
            this.probePort = probePort;
            this.log = log;
            this.command = command;
        }

        /** Heap, RSS, CPU time, GC and threads of this JVM, read by its probe. */
        JsonNode probe(boolean gc) {
            return Api.JSON.readTree(call("/probe" + (gc ? "?gc=true" : "")));
        }

        long cpuNanos() {
            return probe(false).get("cpuNanos").asLong();
        }

        /** Milliseconds its JIT compilers have spent so far. */
        long compileMs() {
            return probe(false).get("compileMs").asLong();
        }

        /**
         * The sum of every series of a counter or gauge in this JVM's Prometheus scrape (actuator on the management
         * port), e.g. {@code cairn_retention_deleted_total}.
         */
        double metric(String name) {
            try {
                URI uri = URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus");
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(role + " /actuator/prometheus answered " + r.statusCode());
                }
                double sum = 0;
                boolean found = false;
                for (String line : r.body().split("\n")) {
                    if (line.startsWith(name) && line.length() > name.length()
                            && (line.charAt(name.length()) == ' ' || line.charAt(name.length()) == '{')) {
                        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                        found = true;
                    }
                }
                if (!found) {
                    throw new IllegalStateException(role + " exports no metric " + name);
                }
                return sum;
            } catch (IOException e) {
                throw new UncheckedIOException(role + " /actuator/prometheus did not answer: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        void jfrStart() {
            call("/jfr/start");
        }

        void jfrStop(Path file) {
            call("/jfr/stop?file=" + URLEncoder.encode(file.toAbsolutePath().toString(), StandardCharsets.UTF_8));
        }

        private String call(String path) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + probePort + path)).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return r.body();
            } catch (IOException e) {
                throw new UncheckedIOException(role + " probe did not answer: " + e.getMessage(), e);
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
    }

    private Cluster(Node orchestrator, Node worker) {
        this.orchestrator = orchestrator;
        this.worker = worker;
        this.api = new Api("http://127.0.0.1:" + orchestrator.port);
    }

    /**
     * Starts both JVMs. {@code retention}: the retention scenario will run, so the orchestrator's retention sweeper
     * passes every {@code --retention-interval} (default 1s; otherwise the orchestrator's default unless that flag is
     * given) instead of once a minute.
     */
    static Cluster start(Db db, Options o, Path results, boolean retention) throws Exception {
        Path logs = Files.createDirectories(results.resolve("logs"));
        // smoke runs measure nothing: start the JVMs with C1 only, which starts Spring Boot faster
        String smokeJvm = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";
        List<String> orchestratorJvm = split(o.string("orchestrator-jvm", "", smokeJvm));
        List<String> workerJvm = split(o.string("worker-jvm", "", smokeJvm));
        List<String> orchestratorProps = o.all("orchestrator-prop");
        List<String> workerProps = o.all("worker-prop");
        int oPort = freePort();
        int oManagementPort = freePort();
        List<String> oArgs = new ArrayList<>(List.of(
                "--server.port=" + oPort,
                "--management.server.port=" + oManagementPort,
                "--spring.application.name=cairn-orchestrator-bench",
                "--spring.datasource.url=" + db.url,
                "--spring.datasource.username=" + db.user,
                "--spring.datasource.password=" + db.password,
                "--cairn.security.open=true",
                "--cairn.worker.enabled=false"));
        boolean intervalProp = orchestratorProps.stream()
                .anyMatch(p -> p.startsWith("cairn.orchestrator.retention-interval="));
        if ((retention || o.given("retention-interval")) && !intervalProp) {
            // one value only: Spring joins repeated command-line values of a property with commas
            oArgs.add("--cairn.orchestrator.retention-interval=" + o.string("retention-interval", "1s"));
        }
        orchestratorProps.forEach(p -> oArgs.add("--" + p));
        int wPort = freePort();
        int wManagementPort = freePort();
        List<String> wArgs = new ArrayList<>(List.of(
                "--server.port=" + wPort,
                "--management.server.port=" + wManagementPort,
                "--spring.application.name=cairn-worker-bench",
                "--cairn.worker.orchestrator-url=http://127.0.0.1:" + oPort,
                "--cairn.worker.advertised-url=http://127.0.0.1:" + wPort,
                "--cairn.worker.registration-retry=250ms",
                // the harness's classpath carries the orchestrator's JDBC stack; a worker has no database
                "--spring.autoconfigure.exclude="
                        + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                        + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
                "--cairn.embedded-postgres.enabled=false",
                // the orchestrator's defaults (same classpath) put its 'db' check in the readiness group
                "--management.endpoint.health.validate-group-membership=false"));
        workerProps.forEach(p -> wArgs.add("--" + p));
        Node orchestrator = spawn("orchestrator", orchestratorJvm, oArgs, oPort, oManagementPort, logs);
        Node worker = spawn("worker", workerJvm, wArgs, wPort, wManagementPort, logs);
        Cluster cluster = new Cluster(orchestrator, worker);
        try {
            cluster.awaitReady(Duration.ofSeconds(o.integer("start-timeout-s", 240, 240)));
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            for (Node n : List.of(orchestrator, worker)) {
                if (!n.process.isAlive()) {
                    throw new IllegalStateException("the " + n.role + " exited with " + n.process.exitValue()
                            + "; its log " + n.log + " ends:\n" + n.tail());
                }
            }
            try {
                Api.Response r = api.get("/v1/workflows");
                last = r.status() + " " + r.body();
                if (Api.servedWorkflows(r).containsAll(WORKFLOWS)) {
                    orchestrator.probe(false);
                    worker.probe(false);
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("orchestrator and worker not ready after " + timeout + " (last answer of "
                + "GET /v1/workflows: " + last + ")\norchestrator log:\n" + orchestrator.tail() + "\nworker log:\n"
                + worker.tail());
    }

    private static Node spawn(String role, List<String> jvm, List<String> args, int port, int managementPort,
            Path logs) throws IOException {
        int probePort = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvm);
        cmd.addAll(launcher());
        cmd.add("--role=" + role);
        cmd.add("--bench.probe-port=" + probePort);
        cmd.addAll(args);
        Path log = logs.resolve(role + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Node(role, p, port, managementPort, probePort, log, cmd);
    }

    /** How to start this same program: {@code -jar <exec jar>} or {@code -cp <classpath> dev.cairn.bench.Bench}. */
    static List<String> launcher() {
        String cp = System.getProperty("java.class.path");
        if (!cp.contains(File.pathSeparator) && cp.endsWith(".jar")) {
            try (JarFile jar = new JarFile(cp)) {
                if (jar.getManifest() != null && jar.getManifest().getMainAttributes().getValue("Start-Class") != null) {
                    return List.of("-jar", cp);
                }
            } catch (IOException e) {
                // fall through: a plain classpath
            }
        }
        return List.of("-cp", cp, Bench.class.getName());
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> split(String s) {
        return s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }

    @Override
    public void close() {
        for (Node n : List.of(worker, orchestrator)) {
            n.process.destroy();
        }
        for (Node n : List.of(worker, orchestrator)) {
            try {
                if (!n.process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    n.process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                n.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
