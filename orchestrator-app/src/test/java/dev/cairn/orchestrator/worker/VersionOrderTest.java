package dev.cairn.orchestrator.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VersionOrderTest {

    @Test
    void comparesIntegersAsNumbers() {
        assertThat(VersionOrder.highest(List.of("2", "10", "9"))).contains("10");
        assertThat(VersionOrder.highest(List.of("1", "99999999999999999999999"))).contains("99999999999999999999999");
    }

    @Test
    void comparesOtherVersionsAsStrings() {
        assertThat(VersionOrder.highest(List.of("v10", "v9"))).contains("v9");
        assertThat(VersionOrder.INSTANCE.compare("1.10", "1.9")).isNegative();
    }

    @Test
    void noVersionsHaveNoHighest() {
        assertThat(VersionOrder.highest(List.of())).isEmpty();
    }
}
