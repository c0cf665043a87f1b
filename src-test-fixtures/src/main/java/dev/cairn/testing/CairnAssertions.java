package dev.cairn.testing;

/**
 * AssertJ entry points for the test kit: {@code assertThat(result).hasStatus(SUCCEEDED).operation("charge")
 * .succeeded().hasAttempts(3)}.
 */
public final class CairnAssertions {

    private CairnAssertions() {
    }

    public static TestResultAssert assertThat(TestResult<?> actual) {
        return new TestResultAssert(actual);
    }

    public static OperationAssert assertThat(TestOperation actual) {
        return new OperationAssert(actual, null);
    }

    public static ReplayReportAssert assertThat(ReplayReport actual) {
        return new ReplayReportAssert(actual);
    }
}
