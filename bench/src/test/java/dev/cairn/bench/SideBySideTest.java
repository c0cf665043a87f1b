package dev.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SideBySideTest {

    @Test
    void readsBothSidesFromTheMediansAndDividesCairnByDbos() {
        Report r = new Report("client");
        r.newRun().putAll(Map.of("steps_per_s_32", 600.0, "dbos_steps_per_s_32", 1800.0, "latency_ms_p50_32", 450.0,
                "dbos_latency_ms_p50_32", 150.0));
        r.newRun().putAll(Map.of("steps_per_s_32", 700.0, "dbos_steps_per_s_32", 1850.0, "latency_ms_p50_32", 440.0,
                "dbos_latency_ms_p50_32", 170.0));

        SideBySide t = SideBySide.of("32 in flight", r, List.of(
                new SideBySide.Figure("steps/s", "steps_per_s_32", "dbos_steps_per_s_32", true),
                new SideBySide.Figure("p50 (ms)", "latency_ms_p50_32", "dbos_latency_ms_p50_32", false)));

        assertThat(t.rows()).extracting(SideBySide.Row::cairn).containsExactly(650.0, 445.0);
        assertThat(t.rows()).extracting(SideBySide.Row::dbos).containsExactly(1825.0, 160.0);
        assertThat(t.rows().get(0).ratio()).isCloseTo(650.0 / 1825.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(t.markdown()).startsWith("| 32 in flight | Cairn | DBOS | Cairn ÷ DBOS | better |\n")
                .contains("| steps/s | 650 | 1825 | 0.36 | higher |")
                .contains("| p50 (ms) | 445 | 160 | 2.78 | lower |");
    }

    @Test
    void aFigureMissingOnOneSideShowsAsNotANumber() {
        Report r = new Report("sequential");
        r.newRun().put("step_ms_p50", 1.2);

        SideBySide t = SideBySide.of("per step", r, List.of(
                new SideBySide.Figure("p50 (ms)", "step_ms_p50", "dbos_step_ms_p50", false)));

        assertThat(t.rows().get(0).dbos()).isNaN();
        assertThat(t.markdown()).contains("| p50 (ms) | 1.200 | NaN | NaN | lower |");
    }
}
