package dev.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The short fault run ({@code faults --smoke}, about two minutes): its own PostgreSQL server (initdb with the
 * machine's binaries, run as the {@code postgres} OS user under root), two orchestrators behind the round-robin
 * proxy, two workers, a kill -9 every ~5 s (at least two of orchestrators and two of workers) and at least one
 * PostgreSQL restart while executions of every kind run; then nothing may be lost, stuck, recorded twice,
 * overlapping, non-deterministic or failed.
 */
class FaultRunSmokeIT {

    @Test
    void aShortRunWithKillsAndAPostgresRestartLosesStrandsAndRepeatsNothing() throws Exception {
        Path results = Path.of("target", "faults-smoke");

        FaultRun.Outcome outcome = FaultRun.run(new String[] {"faults", "--smoke", "--results-dir",
                results.toString()});

        assertThat(outcome.faults()).as("faults injected").satisfies(f -> {
            assertThat(f.get("worker_kills")).as("worker kills").isGreaterThanOrEqualTo(2);
            assertThat(f.get("orchestrator_kills")).as("orchestrator kills").isGreaterThanOrEqualTo(2);
            assertThat(f.get("pg_restarts")).as("PostgreSQL restarts").isGreaterThanOrEqualTo(1);
        });
        assertThat(outcome.findings().figures().get("starts_acknowledged")).as("executions started")
                .isInstanceOf(Long.class).satisfies(n -> assertThat((Long) n).isPositive());
        for (String count : FaultAudit.MUST_BE_ZERO) {
            assertThat(outcome.findings().counts().get(count))
                    .as(count + " (by workflow " + outcome.findings().byWorkflow().get(count) + "): "
                            + outcome.findings().examples().get(count))
                    .isZero();
        }
        assertThat(outcome.passed()).isTrue();
        JsonNode json = Api.JSON.readTree(Files.readString(outcome.report()));
        assertThat(json.get("scenario").asString()).isEqualTo("faults");
        assertThat(json.get("summary").asString()).isEqualTo(outcome.summary()).contains(" lost=0 ", " stuck=0 ");
        assertThat(json.get("rerun").asString()).startsWith("java -jar ").contains(" faults");
    }
}
