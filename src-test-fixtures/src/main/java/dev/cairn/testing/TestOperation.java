package dev.cairn.testing;

import dev.cairn.api.ErrorInfo;
import dev.cairn.api.Serdes;
import dev.cairn.api.TypeRef;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.List;

/** One recorded operation of a {@link TestResult}, with its children and its history events. */
public final class TestOperation {

    private final OperationRecord record;
    private final TestResult<?> owner;
    private final Serdes serdes;

    TestOperation(OperationRecord record, TestResult<?> owner, Serdes serdes) {
        this.record = record;
        this.owner = owner;
        this.serdes = serdes;
    }

    /** The operation as recorded (what {@code GET /v1/executions/{id}/operations} returns). */
    public OperationRecord record() {
        return record;
    }

    public String id() {
        return record.id();
    }

    public String parentId() {
        return record.parentId();
    }

    public String name() {
        return record.name();
    }

    public OperationType type() {
        return record.type();
    }

    public String subType() {
        return record.subType();
    }

    public OperationStatus status() {
        return record.status();
    }

    /** The attempt last recorded (STEP operations; a condition's poll count), 0 when none. */
    public int attempts() {
        return record.attempt() == null ? 0 : record.attempt();
    }

    /** The result as recorded JSON text, or null. */
    public String resultJson() {
        return record.result();
    }

    /** The result, deserialized as {@code type}. */
    public <T> T result(Class<T> type) {
        return type.cast(serdes.deserialize(record.result(), type));
    }

    /** The result, deserialized as a generic type. */
    @SuppressWarnings("unchecked")
    public <T> T result(TypeRef<T> type) {
        Type t = type.type();
        return (T) serdes.deserialize(record.result(), t);
    }

    public ErrorInfo error() {
        return record.error();
    }

    public Instant startedAt() {
        return record.startedAt();
    }

    public Instant endedAt() {
        return record.endedAt();
    }

    public Instant scheduledEndAt() {
        return record.scheduledEndAt();
    }

    public Instant nextAttemptAt() {
        return record.nextAttemptAt();
    }

    public String callbackId() {
        return record.callbackId();
    }

    public String childExecutionId() {
        return record.childExecutionId();
    }

    /** The operations directly inside this one (a context's), in start order. */
    public List<TestOperation> children() {
        return owner.operations().stream().filter(o -> id().equals(o.parentId())).toList();
    }

    /** The child with this name (the first, when several share it). */
    public TestOperation child(String name) {
        return children().stream().filter(o -> name.equals(o.name())).findFirst()
                .orElseThrow(() -> new AssertionError("operation " + describe() + " has no child named '" + name
                        + "'; children: " + children().stream().map(TestOperation::describe).toList()));
    }

    /** The history events about this operation, in order. */
    public List<HistoryEvent> history() {
        return owner.history().stream().filter(e -> id().equals(e.operationId())).toList();
    }

    /** {@code 3-1 STEP/Step 'charge' SUCCEEDED}. */
    public String describe() {
        return id() + " " + type() + "/" + subType() + " '" + name() + "' " + status();
    }

    @Override
    public String toString() {
        return describe();
    }
}
