package dev.cairn.orchestrator.ledger;

/** How the ledger's statements append to {@code history_events}. */
final class HistorySql {

    /** Events of an execution: select {@code execution_id, type, occurred_at, details}. */
    static final String INSERT_EXECUTION_EVENTS =
            "insert into history_events (execution_id, type, occurred_at, details)";

    /** Events of an operation: select {@code execution_id, type, occurred_at, operation_id, name, details}. */
    static final String INSERT_OPERATION_EVENTS =
            "insert into history_events (execution_id, type, occurred_at, operation_id, name, details)";

    /** No details, for {@link #INSERT_OPERATION_EVENTS}. */
    static final String NO_DETAILS = "cast(null as text)";

    private HistorySql() {
    }

    /** A {@code timestamptz} expression as the ISO-8601 UTC text the protocol uses (microseconds). */
    static String isoText(String timestamp) {
        return "to_char(" + timestamp + " at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
    }
}
