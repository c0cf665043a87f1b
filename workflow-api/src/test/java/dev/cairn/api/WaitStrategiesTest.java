package dev.cairn.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class WaitStrategiesTest {

    private static final Predicate<Integer> AT_LEAST_TEN = n -> n >= 10;

    @Test
    void fixedDelayStopsAsSoonAsTheStateIsDone() {
        WaitStrategy<Integer> strategy = WaitStrategies.fixedDelay(AT_LEAST_TEN, Duration.ofSeconds(3), 5);

        assertThat(strategy.decide(10, 1)).isEqualTo(WaitDecision.stop());
        assertThat(strategy.decide(12, 5)).isEqualTo(WaitDecision.stop());
    }

    @Test
    void fixedDelayContinuesWithTheSameDelayUntilTheLastAttempt() {
        WaitStrategy<Integer> strategy = WaitStrategies.fixedDelay(AT_LEAST_TEN, Duration.ofSeconds(3), 3);

        assertThat(strategy.decide(1, 1)).isEqualTo(WaitDecision.continueAfter(Duration.ofSeconds(3)));
        assertThat(strategy.decide(2, 2)).isEqualTo(WaitDecision.continueAfter(Duration.ofSeconds(3)));
        assertThatThrownBy(() -> strategy.decide(3, 3))
                .isInstanceOf(WaitForConditionFailedException.class)
                .hasMessageContaining("after 3 attempt(s)");
    }

    @Test
    void exponentialBackoffGrowsByTheRateUpToTheMaximum() {
        WaitStrategy<Integer> strategy = WaitStrategies.exponentialBackoff(AT_LEAST_TEN, 10, Duration.ofSeconds(1),
                Duration.ofSeconds(10), 3.0, Jitter.NONE);

        assertThat(strategy.decide(0, 1).delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(strategy.decide(0, 2).delay()).isEqualTo(Duration.ofSeconds(3));
        assertThat(strategy.decide(0, 3).delay()).isEqualTo(Duration.ofSeconds(9));
        assertThat(strategy.decide(0, 4).delay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(strategy.decide(0, 4).shouldContinue()).isTrue();
        assertThat(strategy.decide(11, 4)).isEqualTo(WaitDecision.stop());
    }

    @Test
    void exponentialBackoffGivesUpAfterMaxAttemptsAndJittersWithinTheDelay() {
        WaitStrategy<Integer> strategy = WaitStrategies.exponentialBackoff(AT_LEAST_TEN, 2, Duration.ofSeconds(4),
                Duration.ofSeconds(60), 2.0, Jitter.FULL);

        for (int i = 0; i < 50; i++) {
            assertThat(strategy.decide(0, 1).delay()).isBetween(Duration.ZERO, Duration.ofSeconds(4));
        }
        assertThatThrownBy(() -> strategy.decide(0, 2)).isInstanceOf(WaitForConditionFailedException.class);
    }

    @Test
    void invalidArgumentsAreRefused() {
        assertThatThrownBy(() -> WaitStrategies.fixedDelay(AT_LEAST_TEN, Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WaitStrategies.fixedDelay(AT_LEAST_TEN, Duration.ofSeconds(-1), 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WaitStrategies.exponentialBackoff(AT_LEAST_TEN, 3, Duration.ofSeconds(1),
                Duration.ofSeconds(5), 0.5, Jitter.NONE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WaitDecision.continueAfter(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WaitForConditionConfig.of(1, null)).isInstanceOf(NullPointerException.class);
    }
}
