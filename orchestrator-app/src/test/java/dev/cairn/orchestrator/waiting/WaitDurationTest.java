package dev.cairn.orchestrator.waiting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.orchestrator.api.InvalidRequestException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WaitDurationTest {

    private static final Duration MAX = Duration.ofSeconds(60);

    @Test
    void readsDurationsWithAUnitAndIso8601() {
        assertThat(WaitDuration.parse("500ms", MAX)).isEqualTo(Duration.ofMillis(500));
        assertThat(WaitDuration.parse("30s", MAX)).isEqualTo(Duration.ofSeconds(30));
        assertThat(WaitDuration.parse("1m", MAX)).isEqualTo(Duration.ofMinutes(1));
        assertThat(WaitDuration.parse("PT30S", MAX)).isEqualTo(Duration.ofSeconds(30));
        assertThat(WaitDuration.parse("pt0.25s", MAX)).isEqualTo(Duration.ofMillis(250));
        assertThat(WaitDuration.parse("0s", MAX)).isZero();
    }

    @Test
    void cutsLongerWaitsToTheMaximum() {
        assertThat(WaitDuration.parse("2m", MAX)).isEqualTo(MAX);
        assertThat(WaitDuration.parse("1h", MAX)).isEqualTo(MAX);
        assertThat(WaitDuration.parse("P1D", MAX)).isEqualTo(MAX);
    }

    @Test
    void refusesWhatIsNotADurationNamingTheParameter() {
        for (String bad : new String[] {"abc", "30", "", " ", "-1s", "PT-5S", "10x", "1.5s", "9999999999s", "P"}) {
            assertThatThrownBy(() -> WaitDuration.parse(bad, MAX)).as(bad)
                    .isInstanceOf(InvalidRequestException.class)
                    .satisfies(e -> assertThat(((InvalidRequestException) e).errors())
                            .singleElement().satisfies(f -> assertThat(f.field()).isEqualTo("wait")));
        }
    }
}
