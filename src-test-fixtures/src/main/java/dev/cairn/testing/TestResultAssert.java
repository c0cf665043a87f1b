package dev.cairn.testing;

import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a {@link TestResult}. */
public final class TestResultAssert extends AbstractAssert<TestResultAssert, TestResult<?>> {

    TestResultAssert(TestResult<?> actual) {
        super(actual, TestResultAssert.class);
    }

    public TestResultAssert hasStatus(ExecutionStatus expected) {
        isNotNull();
        if (actual.status() != expected) {
            failWithMessage("Expected execution status %s but was %s%s", expected, actual.status(), context());
        }
        return this;
    }

    public TestResultAssert succeeded() {
        return hasStatus(ExecutionStatus.SUCCEEDED);
    }

    public TestResultAssert failed() {
        return hasStatus(ExecutionStatus.FAILED);
    }

    /** The execution still runs (it waits on the test). */
    public TestResultAssert isRunning() {
        return hasStatus(ExecutionStatus.RUNNING);
    }

    /** The result equals {@code expected} (compared after deserializing as the workflow's result type). */
    public TestResultAssert hasResult(Object expected) {
        isNotNull();
        Object result = actual.result();
        if (!Objects.equals(result, expected)) {
            failWithMessage("Expected result <%s> but was <%s>%s", expected, result, context());
        }
        return this;
    }

    /** The error's type is {@code type}'s name. */
    public TestResultAssert hasErrorType(Class<? extends Throwable> type) {
        return hasErrorType(type.getName());
    }

    public TestResultAssert hasErrorType(String type) {
        isNotNull();
        if (actual.error() == null || !type.equals(actual.error().type())) {
            failWithMessage("Expected error of type %s but the error was %s%s", type, actual.error(), context());
        }
        return this;
    }

    public TestResultAssert hasErrorMessageContaining(String text) {
        isNotNull();
        if (actual.error() == null || actual.error().message() == null || !actual.error().message().contains(text)) {
            failWithMessage("Expected an error message containing <%s> but the error was %s", text, actual.error());
        }
        return this;
    }

    public TestResultAssert hasOperationCount(int expected) {
        isNotNull();
        if (actual.operations().size() != expected) {
            failWithMessage("Expected %s operations but %s were recorded: %s", expected, actual.operations().size(),
                    actual.operations());
        }
        return this;
    }

    /** Operations were recorded with these names, in start order (all of them, nested ones included). */
    public TestResultAssert hasOperationNames(String... names) {
        isNotNull();
        List<String> recorded = actual.operations().stream().map(TestOperation::name).toList();
        if (!recorded.equals(List.of(names))) {
            failWithMessage("Expected operations %s but recorded %s", List.of(names), recorded);
        }
        return this;
    }

    public TestResultAssert hasInvocations(int expected) {
        isNotNull();
        if (actual.invocations() != expected) {
            failWithMessage("Expected %s invocations but there were %s", expected, actual.invocations());
        }
        return this;
    }

    /** The history holds at least one event of this type. */
    public TestResultAssert hasHistoryEvent(String type) {
        isNotNull();
        if (actual.history(type).isEmpty()) {
            failWithMessage("Expected a %s history event; history: %s", type,
                    actual.history().stream().map(HistoryEvent::type).toList());
        }
        return this;
    }

    /** Continues with the first operation named {@code name}. */
    public OperationAssert operation(String name) {
        isNotNull();
        TestOperation op = actual.findOperation(name).orElse(null);
        if (op == null) {
            failWithMessage("Expected an operation named '%s'; recorded: %s", name, actual.operations());
        }
        return new OperationAssert(op, this);
    }

    /** Continues with the operation that has this id. */
    public OperationAssert operationById(String id) {
        isNotNull();
        return new OperationAssert(actual.operationById(id), this);
    }

    private String context() {
        return actual.error() != null ? " (error: " + actual.error() + ")"
                : actual.waitingOn() != null ? " (waiting on " + actual.waitingOn() + ")" : "";
    }
}
