package dev.cairn.helm;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code helm lint --strict} of both charts, with their default values and with each {@code ci/} variant. */
class ChartLintTest {

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cairn", "cairn-worker"})
    void passesStrictLintWithDefaultValues(String chart) {
        assertPasses(HelmChart.named(chart).lintStrict());
    }

    @ParameterizedTest(name = "{0} with ci/{1}-values.yaml")
    @MethodSource("dev.cairn.helm.HelmChart#chartsAndCiVariants")
    void passesStrictLintWithEachCiVariant(String chart, String variant) {
        HelmChart helmChart = HelmChart.named(chart);
        assertPasses(helmChart.lintStrictWith(helmChart.ciValues(variant), work));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cairn", "cairn-worker"})
    void shipsAFullAndALeanCiVariant(String chart) {
        assertThat(HelmChart.named(chart).ciVariants()).containsExactly("full", "lean");
    }

    private static void assertPasses(LintResult result) {
        assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages())
                .as("strict lint reports only the missing icon")
                .allSatisfy(message -> assertThat(message).doesNotContain("[ERROR]", "[WARNING]"));
    }
}
