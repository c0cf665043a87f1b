package dev.cairn.orchestrator.commit;

import static dev.cairn.orchestrator.commit.Jobs.batch;
import static dev.cairn.orchestrator.commit.Jobs.combinable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CombinedRunTest {

    @Test
    void eachJobGetsTheResultAtItsPlaceOnceItsTransactionCommits() throws Exception {
        List<List<Integer>> calls = new ArrayList<>();
        CombineKind<Integer, String> kind = (connection, parts) -> {
            calls.add(parts);
            return parts.stream().map(p -> "row " + p).toList();
        };
        Job<String> first = combinable(kind, "e1", 1, "alone", "e1");
        Job<String> second = combinable(kind, "e2", 2, "alone", "e2");

        CombinedRun.write(null, batch(first, second));

        assertThat(calls).containsExactly(List.of(1, 2));
        assertThat(first.outcome()).as("held until the commit").isNull();
        first.committed();
        second.committed();
        assertThat(first.outcome()).isEqualTo(new Outcome.Written<>("row 1"));
        assertThat(second.outcome()).isEqualTo(new Outcome.Written<>("row 2"));
    }

    @Test
    void aKindThatAnswersTooFewResultsFailsTheRun() {
        CombineKind<Integer, String> kind = (connection, parts) -> List.of("only one");

        assertThatThrownBy(() -> CombinedRun.write(null, batch(combinable(kind, "e1", 1, "a", "e1"),
                combinable(kind, "e2", 2, "a", "e2"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 results for 2 jobs");
    }

    @Test
    void aRunThatMixesKindsIsRefused() {
        CombineKind<Integer, String> one = (connection, parts) -> List.of("x", "y");
        CombineKind<Integer, String> other = (connection, parts) -> List.of("x", "y");

        assertThatThrownBy(() -> CombinedRun.write(null, batch(combinable(one, "e1", 1, "a", "e1"),
                combinable(other, "e2", 2, "a", "e2"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
