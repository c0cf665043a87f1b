package dev.cairn.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.orchestrator.support.Http;
import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * JSON logs on request: Spring Boot's structured logging ({@code logging.structured.format.console=ecs}). Its own
 * class: the logging system is set up by the first application context of the JVM that is running, so no other
 * orchestrator may be running while this one starts.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingIT {

    @Test
    void startsWithEcsJsonLogsOnTheConsole(CapturedOutput output) {
        try (TestDatabase db = TestDatabase.create(StructuredLoggingIT.class);
                RunningOrchestrator ecs = RunningOrchestrator.start(db, new MutableClock(),
                        "logging.structured.format.console=ecs")) {
            assertThat(ecs.context().isRunning()).isTrue();
        }

        String line = output.getOut().lines().filter(l -> l.contains("cairn-dispatcher started")).findFirst()
                .orElseThrow();
        JsonNode json = Http.JSON.readTree(line);
        assertThat(json.get("@timestamp")).isNotNull();
        JsonNode level = json.has("log.level") ? json.get("log.level") : json.get("log").get("level");
        assertThat(level.asString()).isEqualTo("INFO");
        assertThat(json.get("message").asString()).isEqualTo("cairn-dispatcher started");
    }
}
