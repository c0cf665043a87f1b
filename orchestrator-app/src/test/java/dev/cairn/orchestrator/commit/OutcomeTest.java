package dev.cairn.orchestrator.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class OutcomeTest {

    @Test
    void aWrittenOutcomeAnswersItsResultEvenNull() {
        assertThat(new Outcome.Written<>("row").get()).isEqualTo("row");
        Outcome<String> fenced = new Outcome.Written<>(null);
        assertThat(fenced.failed()).isFalse();
        assertThat(fenced.failure()).isNull();
        assertThat(fenced.get()).isNull();
    }

    @Test
    void everyOtherOutcomeThrowsItsFailureAndHasNoResult() {
        IllegalStateException failure = new IllegalStateException("duplicate");
        WriteOutcomeUnknownException unknown = new WriteOutcomeUnknownException(new SQLException("lost", "08006"));
        AssertionError defect = new AssertionError("defect");

        assertThat(new Outcome.Failed<String>(failure).result()).isNull();
        assertThatThrownBy(new Outcome.Failed<String>(failure)::get).isSameAs(failure);
        assertThatThrownBy(new Outcome.Unknown<String>(unknown)::get).isSameAs(unknown);
        assertThatThrownBy(new Outcome.Defect<String>(defect)::get).isSameAs(defect);
        assertThat(new Outcome.Unknown<String>(unknown).failed()).isTrue();
    }

    @Test
    void aJobKeepsTheFirstOutcomeItIsGiven() {
        Job<String> job = Jobs.plain("x", null);
        IllegalStateException first = new IllegalStateException("first");

        job.failed(first);
        job.written("later");
        Jobs.release(job);

        assertThat(job.outcome()).isEqualTo(new Outcome.Failed<>(first));
    }

    @Test
    void aJobReleasedWithoutAnOutcomeWasNotWritten() {
        Job<String> job = Jobs.plain("x", null);

        Jobs.release(job);

        assertThat(job.outcome().failure()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not written");
    }
}
