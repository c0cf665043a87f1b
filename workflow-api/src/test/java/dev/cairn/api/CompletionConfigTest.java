package dev.cairn.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CompletionConfigTest {

    @Test
    void allCompletedRunsEveryItemWhateverFails() {
        CompletionConfig rule = CompletionConfig.allCompleted();

        assertThat(rule.reasonToComplete(3, 0, 2)).isEmpty();
        assertThat(rule.reasonToComplete(3, 0, 3)).contains(CompletionReason.ALL_COMPLETED);
        assertThat(rule.reasonToComplete(3, 3, 0)).contains(CompletionReason.ALL_COMPLETED);
    }

    @Test
    void anEmptyBatchIsCompleteAtOnce() {
        assertThat(CompletionConfig.allCompleted().reasonToComplete(0, 0, 0)).contains(CompletionReason.ALL_COMPLETED);
        assertThat(CompletionConfig.firstSuccessful().reasonToComplete(0, 0, 0))
                .contains(CompletionReason.ALL_COMPLETED);
    }

    @Test
    void allSuccessfulCompletesAtTheFirstFailure() {
        CompletionConfig rule = CompletionConfig.allSuccessful();

        assertThat(rule.reasonToComplete(4, 2, 0)).isEmpty();
        assertThat(rule.reasonToComplete(4, 2, 1)).contains(CompletionReason.FAILURE_TOLERANCE_EXCEEDED);
        assertThat(rule.reasonToComplete(4, 4, 0)).contains(CompletionReason.ALL_COMPLETED);
    }

    @Test
    void firstSuccessfulCompletesAtTheFirstSuccessAndToleratesFailures() {
        CompletionConfig rule = CompletionConfig.firstSuccessful();

        assertThat(rule.reasonToComplete(4, 0, 3)).isEmpty();
        assertThat(rule.reasonToComplete(4, 1, 2)).contains(CompletionReason.MIN_SUCCESSFUL_REACHED);
        assertThat(rule.reasonToComplete(4, 0, 4)).contains(CompletionReason.ALL_COMPLETED);
    }

    @Test
    void minSuccessfulWaitsForThatManySuccesses() {
        CompletionConfig rule = CompletionConfig.minSuccessful(2);

        assertThat(rule.reasonToComplete(5, 1, 0)).isEmpty();
        assertThat(rule.reasonToComplete(5, 2, 1)).contains(CompletionReason.MIN_SUCCESSFUL_REACHED);
        assertThat(rule.reasonToComplete(2, 2, 0)).contains(CompletionReason.ALL_COMPLETED);
    }

    @Test
    void toleratedFailureCountCompletesOnceMoreFailed() {
        CompletionConfig rule = CompletionConfig.toleratedFailureCount(1);

        assertThat(rule.reasonToComplete(5, 0, 1)).isEmpty();
        assertThat(rule.reasonToComplete(5, 0, 2)).contains(CompletionReason.FAILURE_TOLERANCE_EXCEEDED);
        assertThat(rule.reasonToComplete(2, 1, 1)).contains(CompletionReason.ALL_COMPLETED);
    }

    @Test
    void toleratedFailurePercentageIsAShareOfAllItems() {
        CompletionConfig rule = CompletionConfig.toleratedFailurePercentage(25);

        assertThat(rule.reasonToComplete(8, 0, 2)).isEmpty();
        assertThat(rule.reasonToComplete(8, 0, 3)).contains(CompletionReason.FAILURE_TOLERANCE_EXCEEDED);
        assertThat(CompletionConfig.toleratedFailurePercentage(0).reasonToComplete(8, 5, 1))
                .contains(CompletionReason.FAILURE_TOLERANCE_EXCEEDED);
        assertThat(CompletionConfig.toleratedFailurePercentage(100).reasonToComplete(8, 0, 7)).isEmpty();
    }

    @Test
    void rulesCombineAndTheToleranceIsCheckedFirst() {
        CompletionConfig rule = CompletionConfig.minSuccessful(2).withToleratedFailureCount(0);

        assertThat(rule.reasonToComplete(3, 2, 1)).contains(CompletionReason.FAILURE_TOLERANCE_EXCEEDED);
        assertThat(rule.reasonToComplete(3, 2, 0)).contains(CompletionReason.MIN_SUCCESSFUL_REACHED);
        assertThat(rule.reasonToComplete(3, 1, 0)).isEqualTo(Optional.empty());
    }

    @Test
    void invalidRulesAreRefused() {
        assertThatThrownBy(() -> CompletionConfig.minSuccessful(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompletionConfig.toleratedFailureCount(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompletionConfig.toleratedFailurePercentage(100.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompletionConfig.toleratedFailurePercentage(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompletionConfig.allCompleted().reasonToComplete(2, 2, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
