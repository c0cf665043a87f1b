package dev.cairn.testing;

import org.assertj.core.api.AbstractAssert;

/** Assertions on a {@link ReplayReport}. */
public final class ReplayReportAssert extends AbstractAssert<ReplayReportAssert, ReplayReport> {

    ReplayReportAssert(ReplayReport actual) {
        super(actual, ReplayReportAssert.class);
    }

    public ReplayReportAssert isDeterministic() {
        isNotNull();
        if (!actual.isDeterministic()) {
            failWithMessage("Expected a deterministic replay but %s", actual.divergence());
        }
        return this;
    }

    /** The first divergence is at operation {@code operationId}. */
    public ReplayReportAssert divergesAt(String operationId) {
        isNotNull();
        if (actual.isDeterministic() || !operationId.equals(actual.divergence().operationId())) {
            failWithMessage("Expected the replay to diverge at operation %s but it was %s", operationId, actual);
        }
        return this;
    }
}
