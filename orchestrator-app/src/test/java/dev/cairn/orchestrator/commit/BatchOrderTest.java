package dev.cairn.orchestrator.commit;

import static dev.cairn.orchestrator.commit.Jobs.batch;
import static dev.cairn.orchestrator.commit.Jobs.combinable;
import static dev.cairn.orchestrator.commit.Jobs.plain;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchOrderTest {

    private static final CombineKind<String, String> CHECKPOINTS = (connection, parts) -> parts;
    private static final CombineKind<String, String> COMPLETIONS = (connection, parts) -> parts;

    @Test
    void aBatchOfDistinctSequencesIsArrangedKindByKindInOrderOfFirstAppearance() {
        Job<String> a = combinable(CHECKPOINTS, "e1", "a", "a", "e1");
        Job<String> b = combinable(COMPLETIONS, "e2", "b", "b", "e2");
        Job<String> c = plain("c", "e3");
        Job<String> d = combinable(CHECKPOINTS, "e4", "d", "d", "e4");
        Job<String> e = combinable(COMPLETIONS, "e5", "e", "e", "e5");

        assertThat(BatchOrder.byKind(batch(a, b, c, d, e))).containsExactly(a, d, b, e, c);
    }

    @Test
    void aBatchWithASharedOrMissingSequenceKeepsItsQueueOrder() {
        Job<String> a = combinable(CHECKPOINTS, "e1", "a", "a", "e1");
        Job<String> b = combinable(COMPLETIONS, "e1", "b", "b", "e1");
        Job<String> c = combinable(CHECKPOINTS, "e2", "c", "c", "e2");
        Job<String> unsequenced = plain("u", null);

        assertThat(BatchOrder.byKind(batch(a, b, c))).containsExactly(a, b, c);
        assertThat(BatchOrder.byKind(batch(a, unsequenced, c))).containsExactly(a, unsequenced, c);
    }

    @Test
    void aRunEndsAtAnotherKindAPlainJobOrARepeatedKey() {
        List<Job<?>> jobs = batch(
                combinable(CHECKPOINTS, "e1", "a", "a", "e1"),
                combinable(CHECKPOINTS, "e2", "b", "b", "e2"),
                combinable(CHECKPOINTS, "e1", "c", "c", "e1"),
                combinable(COMPLETIONS, "e3", "d", "d", "e3"),
                plain("e", "e4"),
                combinable(COMPLETIONS, "e5", "f", "f", "e5"));

        assertThat(BatchOrder.runEnd(jobs, 0)).as("the repeated key starts a run of its own").isEqualTo(2);
        assertThat(BatchOrder.runEnd(jobs, 2)).as("another kind follows").isEqualTo(3);
        assertThat(BatchOrder.runEnd(jobs, 3)).as("a plain job follows").isEqualTo(4);
        assertThat(BatchOrder.runEnd(jobs, 4)).as("a plain job is written alone").isEqualTo(5);
        assertThat(BatchOrder.runEnd(jobs, 5)).isEqualTo(6);
    }

    @Test
    void kindsAreToldApartByIdentity() {
        CombineKind<String, String> same = (connection, parts) -> parts;
        List<Job<?>> jobs = batch(
                combinable(same, "e1", "a", "a", "e1"),
                combinable((connection, parts) -> parts, "e2", "b", "b", "e2"));

        assertThat(BatchOrder.runEnd(jobs, 0)).isEqualTo(1);
    }
}
