package dev.cairn.orchestrator.checkpoint;

import dev.cairn.protocol.OperationStatus;
import java.util.StringJoiner;

/**
 * The forward order of an operation's lifecycle, the one rule every write of an operation follows: an operation
 * only moves forward, so a request sent again — after its answer was lost, or after a timer, a callback or a child
 * execution moved the operation on — changes nothing.
 *
 * <p>Progress is {@code (attempt, stage)}, compared attempt first, where the stage of a status is STARTED &lt;
 * PENDING &lt; READY &lt; closed (SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, STOPPED); an absent attempt counts as 0
 * (only steps have one). A closed operation never moves again. So a step goes STARTED a1 → PENDING a1 (retry) →
 * READY a1 (its timer) → STARTED a2 → … → SUCCEEDED, a condition READY a1 → PENDING a2 (the next poll), and a WAIT
 * STARTED → SUCCEEDED; a repeated update (the same progress) or an older one is not a move.
 */
final class OperationProgress {

    /** The stage of every closed status. */
    private static final int CLOSED = 3;

    private OperationProgress() {
    }

    /** Where a status stands within one attempt: STARTED 0, PENDING 1, READY 2, closed 3. */
    static int stage(OperationStatus status) {
        if (status.isClosed()) {
            return CLOSED;
        }
        return switch (status) {
            case STARTED -> 0;
            case PENDING -> 1;
            case READY -> 2;
            default -> throw new IllegalStateException("an open status without a stage: " + status);
        };
    }

    /**
     * A SQL condition: whether an operation stored as {@code stored} ({@code <alias>.status}, {@code .attempt})
     * moves forward to {@code next}, whose absent attempt keeps the stored one (as the upsert writes it).
     */
    static String movesForward(String stored, String next) {
        return """
                (%1$s.status not in %3$s
                 and (coalesce(%2$s.attempt, %1$s.attempt, 0), %4$s) > (coalesce(%1$s.attempt, 0), %5$s))"""
                .formatted(stored, next, closedStatuses(), stageOf(next + ".status"), stageOf(stored + ".status"));
    }

    /** A SQL expression: the {@link #stage} of a status column. */
    private static String stageOf(String status) {
        StringBuilder sql = new StringBuilder("case ").append(status);
        for (OperationStatus s : OperationStatus.values()) {
            if (!s.isClosed()) {
                sql.append(" when '").append(s.name()).append("' then ").append(stage(s));
            }
        }
        return sql.append(" else ").append(CLOSED).append(" end").toString();
    }

    private static String closedStatuses() {
        StringJoiner closed = new StringJoiner(", ", "(", ")");
        for (OperationStatus s : OperationStatus.values()) {
            if (s.isClosed()) {
                closed.add("'" + s.name() + "'");
            }
        }
        return closed.toString();
    }
}
