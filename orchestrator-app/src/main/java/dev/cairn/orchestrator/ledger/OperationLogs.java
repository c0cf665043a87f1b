package dev.cairn.orchestrator.ledger;

import static dev.cairn.orchestrator.sql.SqlTypes.instant;

import dev.cairn.orchestrator.json.PayloadJson;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Reads operation-log rows as the protocol's {@link OperationRecord}s (what an invocation carries). */
final class OperationLogs {

    /**
     * The columns of a claimed log, read by position ({@link #logRow}): 10,000s of rows a pass. The statement
     * selecting them ({@code ClaimStatements.CLAIMED_LOGS}) lists them in this order.
     */
    static final String LOG_COLUMNS = """
            o.execution_id, o.start_seq, o.operation_id, o.parent_id, o.type, o.sub_type, o.name, o.status,
                   o.attempt, o.started_at, o.ended_at, o.result, o.error, o.scheduled_end_at, o.next_attempt_at,
                   o.callback_id, o.child_execution_id""";

    static final int EXECUTION_ID = 1;
    static final int START_SEQ = 2;
    private static final int OPERATION_ID = 3;
    private static final int PARENT_ID = 4;
    private static final int TYPE = 5;
    private static final int SUB_TYPE = 6;
    private static final int NAME = 7;
    private static final int STATUS = 8;
    private static final int ATTEMPT = 9;
    private static final int OP_STARTED_AT = 10;
    private static final int ENDED_AT = 11;
    private static final int RESULT = 12;
    private static final int ERROR = 13;
    private static final int SCHEDULED_END_AT = 14;
    private static final int NEXT_ATTEMPT_AT = 15;
    private static final int CALLBACK_ID = 16;
    private static final int CHILD_EXECUTION_ID = 17;

    private final PayloadJson json;

    OperationLogs(PayloadJson json) {
        this.json = json;
    }

    /** A row read by column name. */
    OperationRecord operation(ResultSet rs) throws SQLException {
        return new OperationRecord(rs.getString("operation_id"), rs.getString("parent_id"),
                OperationType.valueOf(rs.getString("type")), rs.getString("sub_type"), rs.getString("name"),
                OperationStatus.valueOf(rs.getString("status")), (Integer) rs.getObject("attempt"),
                instant(rs, "started_at"), instant(rs, "ended_at"), rs.getString("result"),
                json.errorInfo(rs.getString("error")), instant(rs, "scheduled_end_at"),
                instant(rs, "next_attempt_at"), rs.getString("callback_id"), rs.getString("child_execution_id"));
    }

    /** A row of {@link #LOG_COLUMNS}, read by column position. */
    OperationRecord logRow(ResultSet rs) throws SQLException {
        String error = rs.getString(ERROR);
        return new OperationRecord(rs.getString(OPERATION_ID), rs.getString(PARENT_ID),
                OperationType.valueOf(rs.getString(TYPE)), rs.getString(SUB_TYPE), rs.getString(NAME),
                OperationStatus.valueOf(rs.getString(STATUS)), (Integer) rs.getObject(ATTEMPT),
                instantAt(rs, OP_STARTED_AT), instantAt(rs, ENDED_AT), rs.getString(RESULT),
                error == null ? null : json.errorInfo(error), instantAt(rs, SCHEDULED_END_AT),
                instantAt(rs, NEXT_ATTEMPT_AT), rs.getString(CALLBACK_ID), rs.getString(CHILD_EXECUTION_ID));
    }

    private static Instant instantAt(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** One execution's log rows as they came, put in start order at the end (sorted only if they were not). */
    static final class LogRows {

        private final List<OperationRecord> records = new ArrayList<>();
        private long[] seqs = new long[16];
        private boolean ordered = true;

        void add(long seq, OperationRecord record) {
            int n = records.size();
            if (n == seqs.length) {
                seqs = Arrays.copyOf(seqs, n * 2);
            }
            if (n > 0 && seq < seqs[n - 1]) {
                ordered = false;
            }
            seqs[n] = seq;
            records.add(record);
        }

        List<OperationRecord> inStartOrder() {
            if (ordered) {
                return records;
            }
            Integer[] order = new Integer[records.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingLong(i -> seqs[i]));
            List<OperationRecord> sorted = new ArrayList<>(order.length);
            for (Integer i : order) {
                sorted.add(records.get(i));
            }
            return sorted;
        }
    }
}
