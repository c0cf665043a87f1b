package dev.cairn.it.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A worker app's Spring Boot jar running as its own process against an orchestrator, as a user starts it with
 * {@code java -jar}, its output in a temporary log file.
 */
public final class WorkerJar implements AutoCloseable {

    private final Process process;
    private final Path log;

    private WorkerJar(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code jar} and waits until the orchestrator lists {@code workflow}. */
    public static WorkerJar start(Path jar, String orchestratorUrl, String workflow) throws IOException {
        Path log = Files.createTempFile("worker-jar-", ".log");
        Process process = new ProcessBuilder(List.of(java(), "-jar", jar.toString(),
                "--server.port=" + Orchestrators.freePort(), "--management.server.port=" + Orchestrators.freePort(),
                "--cairn.worker.orchestrator-url=" + orchestratorUrl))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        WorkerJar worker = new WorkerJar(process, log);
        CairnApi api = new CairnApi(orchestratorUrl);
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            assertThat(process.isAlive()).as("the worker exited:%n%s", worker.log()).isTrue();
            return api.get("/v1/workflows").body().toString().contains("\"" + workflow + "\"");
        });
        return worker;
    }

    /** The path of the JVM running the tests' {@code java}. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** What the worker has written so far. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    /**
     * Runs a project's {@code try-it.sh} against the orchestrator at {@code orchestratorUrl} and returns its output;
     * fails unless it ends within 2 minutes with status 0.
     */
    public String tryIt(Path script, String orchestratorUrl) throws IOException, InterruptedException {
        ProcessBuilder tryIt = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        tryIt.environment().put("CAIRN", orchestratorUrl);
        Process bash = tryIt.start();
        boolean ended = bash.waitFor(2, TimeUnit.MINUTES);
        if (!ended) {
            bash.destroyForcibly();
        }
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ended).as("%s ended within 2 minutes:%n%s%nworker log:%n%s", script, output, log()).isTrue();
        assertThat(bash.exitValue()).as(output).isZero();
        return output;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(log);
    }
}
