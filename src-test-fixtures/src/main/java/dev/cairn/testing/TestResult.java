package dev.cairn.testing;

import dev.cairn.api.ErrorInfo;
import dev.cairn.api.Serdes;
import dev.cairn.protocol.OperationRecord;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a local run left behind: the execution's status, result or error, its operations and history, and how many
 * invocations it took. A snapshot: later runs of the runner do not change it.
 *
 * @param <O> the workflow's result type
 */
public final class TestResult<O> {

    private final ExecutionRecord execution;
    private final List<TestOperation> operations;
    private final List<HistoryEvent> history;
    private final int invocations;
    private final Serdes serdes;
    private final Type outputType;
    private final String waitingOn;

    TestResult(ExecutionRecord execution, List<OperationRecord> operations, List<HistoryEvent> history,
            int invocations, Serdes serdes, Type outputType, String waitingOn) {
        this.execution = execution;
        this.history = List.copyOf(history);
        this.invocations = invocations;
        this.serdes = serdes;
        this.outputType = outputType;
        this.waitingOn = waitingOn;
        List<TestOperation> ops = new ArrayList<>(operations.size());
        for (OperationRecord record : operations) {
            ops.add(new TestOperation(record, this, serdes));
        }
        this.operations = List.copyOf(ops);
    }

    /**
     * What {@code store} holds of {@code executionId} now, for a runner over another {@link DurableStore} (such as
     * the orchestrator's on PostgreSQL).
     *
     * @param invocations how many invocations the execution took
     * @param outputType the workflow's result type, for {@link #result()}
     * @param waitingOn what a running execution waits on (shown in failure messages), or null
     */
    public static <O> TestResult<O> of(DurableStore store, String executionId, int invocations, Serdes serdes,
            Type outputType, String waitingOn) {
        ExecutionRecord execution = store.execution(executionId)
                .orElseThrow(() -> new IllegalArgumentException("unknown execution " + executionId));
        return new TestResult<>(execution, store.operations(executionId), store.history(executionId), invocations,
                serdes, outputType, waitingOn);
    }

    public String executionId() {
        return execution.executionId();
    }

    /** The execution as the store holds it. */
    public ExecutionRecord execution() {
        return execution;
    }

    public ExecutionStatus status() {
        return execution.status();
    }

    /** Whether the execution ended (in any status). */
    public boolean isComplete() {
        return execution.status().isTerminal();
    }

    /** The result (SUCCEEDED), deserialized as the workflow's result type; null otherwise. */
    @SuppressWarnings("unchecked")
    public O result() {
        return execution.result() == null ? null : (O) serdes.deserialize(execution.result(), outputType);
    }

    /** The result deserialized as another type. */
    public <T> T result(Class<T> type) {
        return execution.result() == null ? null : type.cast(serdes.deserialize(execution.result(), type));
    }

    /** The result as JSON text, or null. */
    public String resultJson() {
        return execution.result();
    }

    /** The execution's error (FAILED), else null. */
    public ErrorInfo error() {
        return execution.error();
    }

    /** Every operation, in start order. */
    public List<TestOperation> operations() {
        return operations;
    }

    /** The top-level operations, in start order. */
    public List<TestOperation> topLevelOperations() {
        return operations.stream().filter(o -> o.parentId() == null).toList();
    }

    /** The first operation (in start order) with this name. */
    public TestOperation operation(String name) {
        return findOperation(name).orElseThrow(() -> new AssertionError("no operation named '" + name
                + "'; recorded: " + operations));
    }

    /** The first operation with this name, if any. */
    public Optional<TestOperation> findOperation(String name) {
        return operations.stream().filter(o -> name.equals(o.name())).findFirst();
    }

    /** Every operation with this name, in start order. */
    public List<TestOperation> operations(String name) {
        return operations.stream().filter(o -> name.equals(o.name())).toList();
    }

    /** The operation at {@code index} in start order (from 0). */
    public TestOperation operationAt(int index) {
        if (index < 0 || index >= operations.size()) {
            throw new AssertionError("no operation at index " + index + "; " + operations.size() + " recorded");
        }
        return operations.get(index);
    }

    /** The operation with this id ({@code 1}, {@code 3-2}, …). */
    public TestOperation operationById(String id) {
        return operations.stream().filter(o -> id.equals(o.id())).findFirst()
                .orElseThrow(() -> new AssertionError("no operation with id " + id + "; recorded: " + operations));
    }

    /** The execution's history events, in order. */
    public List<HistoryEvent> history() {
        return history;
    }

    /** The history events of one type ({@code StepFailed}, …). */
    public List<HistoryEvent> history(String type) {
        return history.stream().filter(e -> type.equals(e.type())).toList();
    }

    /** How many invocations the execution took so far (a crashed one included). */
    public int invocations() {
        return invocations;
    }

    /**
     * What a RUNNING execution waits for that only the test can provide (for example {@code callback 'approval'}),
     * or null.
     */
    public String waitingOn() {
        return waitingOn;
    }

    @Override
    public String toString() {
        return "TestResult[" + execution.workflow() + " " + status()
                + (execution.error() != null ? " " + execution.error() : "")
                + (waitingOn != null ? " waiting on " + waitingOn : "") + ", " + operations.size() + " operations, "
                + invocations + " invocations]";
    }
}
