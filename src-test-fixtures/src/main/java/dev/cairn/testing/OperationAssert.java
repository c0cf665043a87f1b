package dev.cairn.testing;

import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/** Assertions on one {@link TestOperation}; {@link #and()} returns to the result's assertions. */
public final class OperationAssert extends AbstractAssert<OperationAssert, TestOperation> {

    private final TestResultAssert parent;

    OperationAssert(TestOperation actual, TestResultAssert parent) {
        super(actual, OperationAssert.class);
        this.parent = parent;
    }

    public OperationAssert hasStatus(OperationStatus expected) {
        isNotNull();
        if (actual.status() != expected) {
            failWithMessage("Expected operation %s to be %s but it was %s%s", actual.describe(), expected,
                    actual.status(), actual.error() == null ? "" : " with error " + actual.error());
        }
        return this;
    }

    public OperationAssert succeeded() {
        return hasStatus(OperationStatus.SUCCEEDED);
    }

    public OperationAssert failed() {
        return hasStatus(OperationStatus.FAILED);
    }

    public OperationAssert hasType(OperationType expected) {
        isNotNull();
        if (actual.type() != expected) {
            failWithMessage("Expected operation %s to be a %s", actual.describe(), expected);
        }
        return this;
    }

    public OperationAssert hasSubType(String expected) {
        isNotNull();
        if (!Objects.equals(actual.subType(), expected)) {
            failWithMessage("Expected operation %s to have subType %s", actual.describe(), expected);
        }
        return this;
    }

    /** The last recorded attempt (a step that succeeded on its third attempt has 3). */
    public OperationAssert hasAttempts(int expected) {
        isNotNull();
        if (actual.attempts() != expected) {
            failWithMessage("Expected operation %s to have %s attempts but it had %s", actual.describe(), expected,
                    actual.attempts());
        }
        return this;
    }

    /** The result, deserialized as {@code expected}'s class, equals it. */
    public OperationAssert hasResult(Object expected) {
        isNotNull();
        Object result = expected == null ? actual.resultJson() : actual.result(expected.getClass());
        if (!Objects.equals(result, expected)) {
            failWithMessage("Expected operation %s to have result <%s> but it was <%s>", actual.describe(), expected,
                    actual.resultJson());
        }
        return this;
    }

    public OperationAssert hasErrorType(Class<? extends Throwable> type) {
        return hasErrorType(type.getName());
    }

    public OperationAssert hasErrorType(String type) {
        isNotNull();
        if (actual.error() == null || !type.equals(actual.error().type())) {
            failWithMessage("Expected operation %s to have an error of type %s but it had %s", actual.describe(), type,
                    actual.error());
        }
        return this;
    }

    public OperationAssert hasChildCount(int expected) {
        isNotNull();
        if (actual.children().size() != expected) {
            failWithMessage("Expected operation %s to have %s children but it had %s", actual.describe(), expected,
                    actual.children());
        }
        return this;
    }

    /** Continues with the child named {@code name}. */
    public OperationAssert child(String name) {
        isNotNull();
        return new OperationAssert(actual.child(name), parent);
    }

    /** Back to the result's assertions. */
    public TestResultAssert and() {
        if (parent == null) {
            throw new IllegalStateException("this assertion did not start from a TestResult");
        }
        return parent;
    }
}
