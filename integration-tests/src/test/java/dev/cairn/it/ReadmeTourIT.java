package dev.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.examples.demo.DemoWorkerApplication;
import dev.cairn.it.support.CairnApi;
import dev.cairn.it.support.Orchestrators;
import dev.cairn.it.support.Workers;
import dev.cairn.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The root README's curl tour, run as a new user would run it — the shell block as it stands, with bash, curl and
 * sed — against an orchestrator and the demo worker (the orchestrator on a free port instead of 8080).
 */
class ReadmeTourIT {

    private static TestDatabase db;
    private static ConfigurableApplicationContext orchestrator;
    private static ConfigurableApplicationContext worker;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(ReadmeTourIT.class);
        orchestrator = Orchestrators.start(db, 0);
        worker = Workers.start(DemoWorkerApplication.class, Orchestrators.url(orchestrator));
        // as with ./run-demo.sh, the tour begins once the demo worker has registered its workflows
        CairnApi api = new CairnApi(Orchestrators.url(orchestrator));
        await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/v1/workflows").body().toString()
                .contains("\"order-fulfillment\""));
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theTourRunsTopToBottomAndAnswersAsItShows() throws Exception {
        String tour = tourBlock().replace("localhost:8080", Orchestrators.url(orchestrator).substring("http://".length()));

        Process bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", tour).redirectErrorStream(true).start();
        boolean ended = bash.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            bash.destroyForcibly();
        }
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(ended).as("the tour ended within 3 minutes:%n%s", output).isTrue();
        assertThat(bash.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("\"callbackResult\":{\"approvedBy\":\"ada\"}")
                .contains("\"helloWorld\":\"Hello, durable example (3 items)!\"")
                .contains("\"status\":\"FULFILLED\"", "\"charged\":25.0", "\"paymentId\":\"pay-A-100\"")
                .as("start-and-wait answers the closed execution")
                .contains("\"status\":\"SUCCEEDED\",\"input\":{\"name\":\"Grace\"},"
                        + "\"result\":{\"greeting\":\"Hello, Grace!\"}")
                .contains("\"status\":\"STOPPED\"")
                .contains("{\"items\":[{\"name\":\"durable-example\"")
                .as("the callback's answer {}, then the execution").containsPattern(
                        "\\{}\\{\"executionId\":\"[^\"]+\",\"workflow\":\"durable-example\"");
    }

    /** The shell block of the README's "A curl tour" section. */
    static String tourBlock() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int section = readme.indexOf("## A curl tour");
        int start = readme.indexOf("```bash\n", section) + "```bash\n".length();
        int end = readme.indexOf("\n```", start);
        assertThat(section).isNotNegative();
        return readme.substring(start, end) + "\n";
    }
}
