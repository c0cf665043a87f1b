package dev.cairn.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchConfigsTest {

    @Test
    void defaultsAreUnlimitedAndRunEveryItem() {
        assertThat(ParallelConfig.defaults().maxConcurrency()).isEqualTo(ParallelConfig.UNLIMITED);
        assertThat(ParallelConfig.defaults().completion()).isEqualTo(CompletionConfig.allCompleted());
        MapConfig<String> map = MapConfig.defaults();
        assertThat(map.maxConcurrency()).isEqualTo(ParallelConfig.UNLIMITED);
        assertThat(map.itemNamer()).isNull();
    }

    @Test
    void withMethodsReturnChangedCopies() {
        MapConfig<String> map = MapConfig.<String>defaults().withMaxConcurrency(3)
                .withCompletion(CompletionConfig.firstSuccessful())
                .withItemNamer((item, index) -> item + "#" + index);

        assertThat(map.maxConcurrency()).isEqualTo(3);
        assertThat(map.completion()).isEqualTo(CompletionConfig.firstSuccessful());
        assertThat(map.itemNamer().apply("a", 2)).isEqualTo("a#2");
        assertThat(ParallelConfig.defaults().withMaxConcurrency(2).maxConcurrency()).isEqualTo(2);
        assertThatThrownBy(() -> ParallelConfig.defaults().withMaxConcurrency(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Branch.of(" ", ctx -> 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void callbackAndInvokeConfigsValidate() {
        assertThat(CallbackConfig.defaults().timeout()).isNull();
        assertThat(CallbackConfig.defaults().submitterRetry()).isSameAs(RetryStrategies.standard());
        assertThat(CallbackConfig.defaults().withTimeout(Duration.ofMinutes(5))
                .withHeartbeatTimeout(Duration.ofSeconds(30)).heartbeatTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> CallbackConfig.defaults().withTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(InvokeConfig.defaults().withVersion("2").withTimeout(Duration.ofHours(1)))
                .isEqualTo(new InvokeConfig("2", Duration.ofHours(1)));
        assertThatThrownBy(() -> InvokeConfig.defaults().withVersion(" "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBatchResultSummarisesItsItemsInIndexOrder() {
        ErrorInfo boom = new ErrorInfo("java.lang.IllegalStateException", "boom", null);
        BatchResult<String> result = new BatchResult<>(List.of(
                new BatchItem<>(2, "c", ItemStatus.SKIPPED, null, null),
                new BatchItem<>(0, "a", ItemStatus.SUCCEEDED, "A", null),
                new BatchItem<>(1, "b", ItemStatus.FAILED, null, boom),
                new BatchItem<>(3, "d", ItemStatus.SUCCEEDED, "D", null)),
                CompletionReason.FAILURE_TOLERANCE_EXCEEDED, "4");

        assertThat(result.all()).extracting(BatchItem::index).containsExactly(0, 1, 2, 3);
        assertThat(result.results()).containsExactly("A", "D");
        assertThat(result.successCount()).isEqualTo(2);
        assertThat(result.failureCount()).isEqualTo(1);
        assertThat(result.totalCount()).isEqualTo(4);
        assertThat(result.hasFailure()).isTrue();
        assertThatThrownBy(result::throwIfError)
                .isInstanceOfSatisfying(BatchCompletionException.class, e -> {
                    assertThat(e.errorInfo()).isEqualTo(boom);
                    assertThat(e.operationId()).isEqualTo("4");
                    assertThat(e.getMessage()).contains("1 of 4", "'b'", "boom");
                });
    }

    @Test
    void aBatchResultWithoutFailuresDoesNotThrow() {
        BatchResult<Integer> result = new BatchResult<>(
                List.of(new BatchItem<>(0, "a", ItemStatus.SUCCEEDED, 1, null)), CompletionReason.ALL_COMPLETED);

        result.throwIfError();
        assertThat(result.hasFailure()).isFalse();
    }
}
