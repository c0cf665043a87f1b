package dev.cairn.helm;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ChartLintTest {

    @TempDir
    Path work;

    @Test
    void orchestratorChartPassesStrictLintWithDefaultValues() {
        assertPasses(HelmChart.ORCHESTRATOR.lintStrict());
    }

    @Test
    void orchestratorChartPassesStrictLintWithEveryOptionOn() {
        assertPasses(HelmChart.ORCHESTRATOR.lintStrictWith(HelmChart.resource("cairn-full-values.yaml"), work));
    }

    @Test
    void orchestratorChartPassesStrictLintWithTheLeanValues() {
        assertPasses(HelmChart.ORCHESTRATOR.lintStrictWith(HelmChart.resource("cairn-lean-values.yaml"), work));
    }

    @Test
    void workerChartPassesStrictLintWithDefaultValues() {
        assertPasses(HelmChart.WORKER.lintStrict());
    }

    @Test
    void workerChartPassesStrictLintWithEveryOptionOn() {
        assertPasses(HelmChart.WORKER.lintStrictWith(HelmChart.resource("cairn-worker-full-values.yaml"), work));
    }

    private static void assertPasses(LintResult result) {
        assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages())
                .as("strict lint reports only the missing icon")
                .allSatisfy(message -> assertThat(message).doesNotContain("[ERROR]", "[WARNING]"));
    }
}
