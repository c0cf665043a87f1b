package dev.cairn.worker.replay;

import dev.cairn.api.NonDeterministicExecutionException;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The operations recorded so far, by id, as the invocation brought them. Read-only. */
final class OperationLog {

    private final Map<String, OperationRecord> byId;
    private final Map<String, Integer> childCounts = new HashMap<>();
    private int topLevel;

    OperationLog(List<OperationRecord> operations) {
        byId = new HashMap<>(Math.max(16, operations.size() * 2));
        // one call per record: the loop runs once per invocation, so it would stay interpreted, while a method
        // called thousands of times gets compiled during the first large log
        for (OperationRecord operation : operations) {
            add(operation);
        }
    }

    private void add(OperationRecord operation) {
        byId.put(operation.id(), operation);
        if (operation.parentId() == null) {
            topLevel++;
        } else {
            childCounts.merge(operation.parentId(), 1, Integer::sum);
        }
    }

    /**
     * The recorded operation with this id, after checking that the code asks for the same operation.
     *
     * @return the record, or null when nothing is recorded under this id
     * @throws NonDeterministicExecutionException if the record's type, subtype or name differ
     */
    OperationRecord match(String id, OperationType type, String subType, String name) {
        OperationRecord recorded = byId.get(id);
        if (recorded == null) {
            return null;
        }
        if (recorded.type() != type || !Objects.equals(recorded.subType(), subType)
                || !Objects.equals(recorded.name(), name)) {
            String message = "Operation " + id + ": recorded " + describe(recorded.type(), recorded.subType(),
                    recorded.name()) + ", code asked for " + describe(type, subType, name);
            throw new NonDeterministicExecutionException(message, id, null);
        }
        return recorded;
    }

    /** How many operations are recorded directly inside the context {@code parentId} (null: the top level). */
    int recordedChildren(String parentId) {
        return parentId == null ? topLevel : childCounts.getOrDefault(parentId, 0);
    }

    private static String describe(OperationType type, String subType, String name) {
        return type + "/" + subType + " '" + name + "'";
    }
}
