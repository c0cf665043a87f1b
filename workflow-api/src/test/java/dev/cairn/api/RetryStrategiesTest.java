package dev.cairn.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryStrategiesTest {

    private static final RuntimeException ERROR = new IllegalStateException("boom");

    @Test
    void exponentialBackoffDoublesUpToTheCapAndStopsAtMaxAttempts() {
        RetryStrategy s = RetryStrategies.exponentialBackoff(5, Duration.ofSeconds(1), Duration.ofSeconds(3), 2.0,
                Jitter.NONE);
        assertThat(s.decide(ERROR, 1)).isEqualTo(RetryDecision.retryAfter(Duration.ofSeconds(1)));
        assertThat(s.decide(ERROR, 2)).isEqualTo(RetryDecision.retryAfter(Duration.ofSeconds(2)));
        assertThat(s.decide(ERROR, 3)).isEqualTo(RetryDecision.retryAfter(Duration.ofSeconds(3)));
        assertThat(s.decide(ERROR, 4)).isEqualTo(RetryDecision.retryAfter(Duration.ofSeconds(3)));
        assertThat(s.decide(ERROR, 5).shouldRetry()).isFalse();
    }

    @Test
    void standardMakesSixAttemptsWithFullJitterBelowTheComputedDelay() {
        RetryStrategy s = RetryStrategies.standard();
        for (int attempt = 1; attempt < 6; attempt++) {
            RetryDecision d = s.decide(ERROR, attempt);
            assertThat(d.shouldRetry()).isTrue();
            long cap = Math.min(60, 5L << (attempt - 1));
            assertThat(d.delay()).isBetween(Duration.ZERO, Duration.ofSeconds(cap));
        }
        assertThat(s.decide(ERROR, 6).shouldRetry()).isFalse();
    }

    @Test
    void halfJitterStaysInTheUpperHalf() {
        for (int i = 0; i < 100; i++) {
            assertThat(Jitter.HALF.apply(Duration.ofMillis(100))).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        }
    }

    @Test
    void linearGrowsByTheIncrement() {
        RetryStrategy s = RetryStrategies.linear(4, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(s.decide(ERROR, 1).delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.decide(ERROR, 2).delay()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.decide(ERROR, 3).delay()).isEqualTo(Duration.ofSeconds(4));
        assertThat(s.decide(ERROR, 4).shouldRetry()).isFalse();
    }

    @Test
    void fixedDelayAndNoRetry() {
        assertThat(RetryStrategies.fixedDelay(2, Duration.ofMillis(10)).decide(ERROR, 1))
                .isEqualTo(RetryDecision.retryAfter(Duration.ofMillis(10)));
        assertThat(RetryStrategies.fixedDelay(2, Duration.ofMillis(10)).decide(ERROR, 2).shouldRetry()).isFalse();
        assertThat(RetryStrategies.noRetry().decide(ERROR, 1).shouldRetry()).isFalse();
    }

    @Test
    void retryOnRetriesOnlyTheGivenTypesAndTheirSubclasses() {
        RetryStrategy s = RetryStrategies.retryOn(RetryStrategies.fixedDelay(3, Duration.ofMillis(1)),
                UncheckedIOException.class, IllegalArgumentException.class);
        assertThat(s.decide(new UncheckedIOException(new IOException("x")), 1).shouldRetry()).isTrue();
        assertThat(s.decide(new NumberFormatException("subclass"), 1).shouldRetry()).isTrue();
        assertThat(s.decide(ERROR, 1).shouldRetry()).isFalse();
    }

    @Test
    void invalidArgumentsAreRefused() {
        assertThatThrownBy(() -> RetryStrategies.fixedDelay(0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryStrategies.exponentialBackoff(3, Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5,
                Jitter.NONE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryDecision.retryAfter(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StepConfig.defaults().withTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
