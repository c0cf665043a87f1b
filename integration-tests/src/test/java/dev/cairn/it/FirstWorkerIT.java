package dev.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.it.support.CairnApi;
import dev.cairn.it.support.Orchestrators;
import dev.cairn.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What docs/first-worker.md has a new user do: the first worker (examples/first-worker, whose sources the archetype
 * generates) runs as its own process from its Spring Boot jar with its own application.yml, registers with an
 * orchestrator, and its try-it.sh starts an execution, completes its callback and sees it succeed.
 */
class FirstWorkerIT {

    static final Path EXAMPLE = Path.of("../examples/first-worker");

    private static TestDatabase db;
    private static ConfigurableApplicationContext orchestrator;
    private static Process worker;
    private static Path workerLog;

    @BeforeAll
    static void start() throws Exception {
        Path jar = EXAMPLE.resolve("target/first-worker-0.1.0-SNAPSHOT.jar");
        assertThat(jar).as("the first worker's jar: the reactor packages examples/first-worker before this module "
                + "(alone: ./mvnw -pl cairn-bom,examples/first-worker package -DskipTests)").exists();
        db = TestDatabase.create(FirstWorkerIT.class);
        orchestrator = Orchestrators.start(db, 0);
        workerLog = Files.createTempFile("first-worker-", ".log");
        worker = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(),
                "--server.port=" + Orchestrators.freePort(), "--management.server.port=" + Orchestrators.freePort(),
                "--cairn.worker.orchestrator-url=" + Orchestrators.url(orchestrator)))
                .redirectErrorStream(true).redirectOutput(workerLog.toFile()).start();
        CairnApi api = new CairnApi(Orchestrators.url(orchestrator));
        await().atMost(Duration.ofSeconds(90)).until(() -> api.get("/v1/workflows").body().toString()
                .contains("\"expense-approval\""));
    }

    @AfterAll
    static void stop() throws Exception {
        if (worker != null) {
            worker.destroy();
            if (!worker.waitFor(30, TimeUnit.SECONDS)) {
                worker.destroyForcibly();
            }
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (db != null) {
            db.close();
        }
        if (workerLog != null) {
            Files.deleteIfExists(workerLog);
        }
    }

    @Test
    void tryItStartsAnExpenseApprovalCompletesItsCallbackAndSeesItSucceed() throws Exception {
        ProcessBuilder tryIt = new ProcessBuilder("bash", EXAMPLE.resolve("try-it.sh").toString())
                .redirectErrorStream(true);
        tryIt.environment().put("CAIRN", Orchestrators.url(orchestrator));
        Process bash = tryIt.start();
        boolean ended = bash.waitFor(2, TimeUnit.MINUTES);
        if (!ended) {
            bash.destroyForcibly();
        }
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(ended).as("try-it.sh ended within 2 minutes:%n%s%nworker log:%n%s", output,
                Files.readString(workerLog)).isTrue();
        assertThat(bash.exitValue()).as(output).isZero();
        assertThat(output.lines()).contains("{}");
        assertThat(output).containsPattern("\"workflow\":\"expense-approval\",\"version\":\"1\",\"status\":\"SUCCEEDED\"")
                .containsPattern("\"result\":\\{\"expenseId\":\"EXP-[0-9a-f]{8}\",\"approved\":true,"
                        + "\"approvedBy\":\"grace\"}");
        assertThat(Files.readString(workerLog)).contains("awaits approval: callback");
    }
}
