package dev.cairn.orchestrator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class SecurityStartupIT {

    private static TestDatabase db;

    @BeforeAll
    static void database() {
        db = TestDatabase.create(SecurityStartupIT.class);
    }

    @AfterAll
    static void drop() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void refusesToStartWithoutTokensUnlessOpen(CapturedOutput output) {
        assertThatThrownBy(() -> RunningOrchestrator.start(db, new MutableClock(), "cairn.security.open=false"))
                .hasRootCauseInstanceOf(NoApiTokensException.class);

        assertThat(output).contains("No API tokens are configured").contains("--cairn.security.open=true");
    }

    @Test
    void refusesToStartWithAMalformedToken() {
        assertThatThrownBy(() -> RunningOrchestrator.start(db, new MutableClock(), "cairn.security.open=false",
                "cairn.security.tokens[0].name=ops", "cairn.security.tokens[0].secret=hunter2",
                "cairn.security.tokens[0].roles=admin"))
                .rootCause().hasMessageContaining("cairn.security.tokens[0].secret")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void warnsLoudlyWhenTheApiIsOpen(CapturedOutput output) {
        try (RunningOrchestrator open = RunningOrchestrator.start(db, new MutableClock(), "cairn.security.open=true")) {
            assertThat(open.context().isRunning()).isTrue();
        }

        assertThat(output).contains("WARN").contains("CAIRN SECURITY IS OFF").contains("OPEN TO ANYONE");
    }
}
