package dev.cairn.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server of the fault run's own, which it may restart at will (never the machine's shared
 * server): a cluster made by {@code initdb} in a temporary folder, listening on 127.0.0.1 on a free port, with the
 * machine's PostgreSQL binaries ({@code --pg-bin}, else the newest {@code /usr/lib/postgresql/<n>/bin}, else
 * {@code pg_config --bindir}, else those of the embedded server from Maven Central). PostgreSQL refuses to run as
 * root: run as root, every command runs as the OS user {@code postgres} (else {@code nobody}) through
 * {@code runuser}, and that user owns the folder. Autovacuum stays
 * on (the server's default); {@code fsync} is off, which loses nothing here: a restart, even {@code immediate},
 * keeps what the operating system holds, and only a crash of the machine would need the flush.
 */
final class PgServer implements AutoCloseable {

    /** {@code --pg-bin embedded}: the binaries of the embedded server, even where PostgreSQL is installed. */
    static final String EMBEDDED = "embedded";

    private final Path bin;
    private final Path folder;
    private final Path data;
    private final Path log;
    private final String osUser;
    final int port;

    private PgServer(Path bin, Path folder, String osUser, int port) {
        this.bin = bin;
        this.folder = folder;
        this.data = folder.resolve("data");
        this.log = folder.resolve("postgresql.log");
        this.osUser = osUser;
        this.port = port;
    }

    /** Makes the cluster and starts it. {@code binFlag}: the folder of the binaries, or blank to look for them. */
    static PgServer start(String binFlag) throws IOException, InterruptedException {
        Path bin = findBinaries(binFlag);
        String user = runningAsRoot() ? (userExists("postgres") ? "postgres" : "nobody") : null;
        Path folder = Files.createTempDirectory("cairn-faults-pg-");
        PgServer pg = new PgServer(bin, folder, user, Cluster.freePort());
        try {
            if (user != null) {
                command(List.of("chown", user, folder.toString()), folder);
            }
            pg.run(List.of(bin.resolve("initdb").toString(), "-D", pg.data.toString(), "-U", "postgres",
                    "--auth=trust", "-E", "UTF8", "--no-sync"), 120);
            String conf = """

                    # the fault run's throwaway server
                    port = %d
                    listen_addresses = '127.0.0.1'
                    unix_socket_directories = '%s'
                    max_connections = 200
                    shared_buffers = 64MB
                    fsync = off
                    autovacuum = on
                    """.formatted(pg.port, folder);
            pg.run(List.of("sh", "-c", "cat >> \"$0\"/postgresql.conf", pg.data.toString()), 10, conf);
            pg.run(List.of(bin.resolve("pg_ctl").toString(), "-D", pg.data.toString(), "-l", pg.log.toString(),
                    "-w", "-t", "60", "start"), 90);
        } catch (IOException | InterruptedException | RuntimeException e) {
            pg.close();
            throw e;
        }
        return pg;
    }

    String adminUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /**
     * Restarts the server: {@code fast} (clients disconnected, a checkpoint, a clean stop) or {@code immediate} (the
     * server processes quit at once, as in a crash; the start replays the WAL). Returns when it accepts connections
     * again.
     */
    void restart(String mode) throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(), "-m", mode, "-w",
                "-t", "120", "restart"), 150);
    }

    String describe() {
        return "own PostgreSQL server on 127.0.0.1:" + port + " (" + bin + ", data in " + data
                + (osUser == null ? "" : ", run as OS user " + osUser) + ")";
    }

    @Override
    public void close() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "-t",
                        "30", "stop"), 60);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("[faults] could not stop the PostgreSQL server in " + data + ": " + e.getMessage());
        }
        try (Stream<Path> all = Files.walk(folder)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("[faults] could not delete " + folder + ": " + e.getMessage());
        }
    }

    private void run(List<String> cmd, int timeoutS) throws IOException, InterruptedException {
        run(cmd, timeoutS, null);
    }

    /** Runs a command as the server's OS user, in the server's folder; throws with its output unless it exits 0. */
    private void run(List<String> cmd, int timeoutS, String stdin) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (osUser != null) {
            full.addAll(List.of("runuser", "-u", osUser, "--"));
        }
        full.addAll(cmd);
        Process p = new ProcessBuilder(full).directory(folder.toFile()).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes());
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", full) + " did not finish in " + timeoutS + " s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", full) + " exited with " + p.exitValue() + ":\n"
                    + new String(out) + tailOfLog());
        }
    }

    private String tailOfLog() {
        try {
            List<String> lines = Files.readAllLines(log);
            return "\nserver log " + log + " ends:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static Path findBinaries(String flag) throws IOException, InterruptedException {
        if (EMBEDDED.equals(flag)) {
            return embeddedBinaries();
        }
        if (flag != null && !flag.isBlank()) {
            Path bin = Path.of(flag);
            if (!Files.isExecutable(bin.resolve("initdb"))) {
                throw new IllegalArgumentException("--pg-bin " + flag + " holds no initdb");
            }
            return bin;
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> newest = versions
                        .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                        .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString())));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            }
        }
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String dir = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.isExecutable(Path.of(dir, "initdb"))) {
                return Path.of(dir);
            }
        } catch (IOException notInstalled) {
            // fall through
        }
        return embeddedBinaries();
    }

    /**
     * The PostgreSQL binaries that come from Maven Central with the orchestrator's embedded server (zonky), for a
     * machine that has no PostgreSQL installed: unpacked by starting and stopping one embedded server in a folder of
     * the fault run's, then used as any other binaries.
     */
    private static Path embeddedBinaries() throws IOException {
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "cairn-faults-pg-binaries");
        Files.createDirectories(work);
        try (EmbeddedPostgres unpacking = EmbeddedPostgres.builder().setOverrideWorkingDirectory(work.toFile())
                .start()) {
            // started only so that its binaries are unpacked in work
        }
        try (Stream<Path> unpacked = Files.list(work)) {
            return unpacked.map(dir -> dir.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL binaries found (initdb, pg_ctl), "
                            + "none unpacked in " + work + ": install PostgreSQL or give --pg-bin <folder>"));
        }
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean userExists(String name) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("id", "-u", name).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private static void command(List<String> cmd, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
