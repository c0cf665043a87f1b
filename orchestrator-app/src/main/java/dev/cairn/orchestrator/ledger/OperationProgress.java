package dev.cairn.orchestrator.ledger;

import dev.cairn.protocol.OperationStatus;
import java.util.StringJoiner;

/**
 * The forward order of an operation's lifecycle ({@link OperationStatus#movesTo}) as SQL, generated from the enum so
 * that the order is written once: an operation moves only forward — attempt first, then STARTED &lt; PENDING &lt;
 * READY &lt; closed, a closed one never again — so a request sent again, after its answer was lost or after a timer,
 * a callback or a child execution moved the operation on, changes nothing.
 */
public final class OperationProgress {

    private OperationProgress() {
    }

    /**
     * A SQL condition: whether an operation stored as {@code stored} (the row alias: its {@code status} and
     * {@code attempt}) moves forward to {@code next}, whose absent attempt keeps the stored one (as the upsert writes
     * it); an absent attempt counts as 0.
     */
    public static String movesForward(String stored, String next) {
        return """
                (%1$s.status not in %3$s
                 and (coalesce(%2$s.attempt, %1$s.attempt, 0), %4$s) > (coalesce(%1$s.attempt, 0), %5$s))"""
                .formatted(stored, next, closedStatuses(), stageOf(next + ".status"), stageOf(stored + ".status"));
    }

    /** A SQL expression: the {@link OperationStatus#stage} of a status column. */
    private static String stageOf(String status) {
        StringBuilder sql = new StringBuilder("case ").append(status);
        for (OperationStatus s : OperationStatus.values()) {
            sql.append(" when '").append(s.name()).append("' then ").append(s.stage());
        }
        return sql.append(" end").toString();
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
