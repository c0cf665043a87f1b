package dev.cairn.testing;

import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationSubType;
import dev.cairn.protocol.OperationType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Follows the operations the code asks for during a replay and compares them with the recording: the first
 * mismatch, an operation asked for beyond a closed recording, or recorded operations a finished context never asked
 * for (a removed operation).
 */
final class ReplayObserver {

    /** Thrown where the code reaches what the recording does not hold: replay stops there without running it. */
    static final class FrontierReached extends Error {
        private static final long serialVersionUID = 1L;

        FrontierReached(String operationId) {
            super("replay reached operation " + operationId + ", beyond the recording", null, false, false);
        }
    }


    private final Map<String, OperationRecord> recorded = new HashMap<>();
    private final Map<String, Integer> recordedChildren = new HashMap<>();
    private final boolean recordingClosed;
    private ReplayReport.Divergence divergence;
    private boolean frontierReached;
    private int replayed;

    ReplayObserver(List<OperationRecord> operations, boolean recordingClosed) {
        for (OperationRecord op : operations) {
            recorded.put(op.id(), op);
            if (!isChoice(op)) {
                recordedChildren.merge(key(op.parentId()), 1, Integer::sum);
            }
        }
        this.recordingClosed = recordingClosed;
    }

    /** The code asks for an operation; returns normally when it is recorded (mismatches are noted). */
    synchronized void claim(String id, OperationType type, String subType, String name) {
        OperationRecord op = recorded.get(id);
        String requested = describe(type, subType, name);
        if (op == null) {
            if (recordingClosed) {
                diverge(id, "nothing", requested);
            }
            frontierReached = true;
            throw new FrontierReached(id);
        }
        replayed++;
        if (op.type() != type || !Objects.equals(op.subType(), subType) || !Objects.equals(op.name(), name)) {
            diverge(id, describe(op.type(), op.subType(), op.name()), requested);
        }
    }

    /** A recorded operation's body would run again (it was open when recorded): replay stops there. */
    synchronized FrontierReached bodyReached(String id) {
        frontierReached = true;
        return new FrontierReached(id);
    }

    /** A context's function ran to its end after asking for {@code asked} operations. */
    synchronized void finished(String contextId, int asked) {
        int expected = recordedChildren.getOrDefault(key(contextId), 0);
        if (asked < expected) {
            String id = contextId == null ? Integer.toString(asked + 1) : contextId + "-" + (asked + 1);
            OperationRecord op = recorded.get(id);
            diverge(id, op == null ? "an operation" : describe(op.type(), op.subType(), op.name()), "nothing");
        }
    }

    /** A divergence the engine found (inside a batch, say), unless one is known already. */
    synchronized void engineFound(ReplayReport.Divergence found) {
        if (divergence == null) {
            divergence = found;
        }
    }

    synchronized ReplayReport report() {
        return new ReplayReport(divergence, replayed);
    }

    synchronized boolean frontierReached() {
        return frontierReached;
    }

    private void diverge(String id, String recordedText, String requested) {
        if (divergence == null) {
            divergence = new ReplayReport.Divergence(id, recordedText, requested);
        }
    }

    /**
     * Whether {@code op} records what {@code anyOf} chose: the engine takes its id (from a count of its own) and
     * checks it against the recording; the code never asks for it as an operation.
     */
    private static boolean isChoice(OperationRecord op) {
        return op.type() == OperationType.STEP && OperationSubType.ANY_OF.is(op.subType());
    }

    private static String key(String parentId) {
        return parentId == null ? "" : parentId;
    }

    static String describe(OperationType type, String subType, String name) {
        return type + "/" + subType + " '" + name + "'";
    }
}
