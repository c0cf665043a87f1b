package dev.cairn.orchestrator.ledger;

/**
 * The operation upsert of a checkpoint or completion, written once for every statement that carries one: the rows
 * come from arrays ({@link #opsUnnest}), and {@code ON CONFLICT DO UPDATE} writes a stored operation only when it
 * moves forward ({@link OperationProgress}), returning the rows it wrote, which the rest of the statement joins.
 */
final class OperationUpsertSql {

    private OperationUpsertSql() {
    }

    /** The operations' columns that a checkpoint writes, in the order of {@link #OPS_VALUES}. */
    static final String OPS_INSERT = """
                insert into operations (execution_id, operation_id, parent_id, type, sub_type, name, status, attempt,
                                        started_at, ended_at, result, error, scheduled_end_at, next_attempt_at,
                                        callback_id, heartbeat_timeout, child_execution_id)""";

    /**
     * The values of {@link #OPS_INSERT}, from {@code f} (the fenced execution, with {@code now}) and {@code u}. A new
     * operation starts when the worker says its body began, never later than {@code now}; {@link #OPS_ON_CONFLICT}
     * never moves the start of a stored one. ({@code least} skips a null: no time from the worker means {@code now}.)
     */
    static final String OPS_VALUES = """
                select f.execution_id, u.id, u.parent_id, u.type, u.sub_type, u.name, u.status, u.attempt,
                       least(u.started_at, %s),
                       u.ended_at, u.result, u.error, u.scheduled_end_at, u.next_attempt_at, u.callback_id,
                       u.heartbeat_timeout, u.child_execution_id""";

    /** The operations' arrays (one element per operation), after {@code prefix} arrays, as {@code u}. */
    static String opsUnnest(String prefixArrays, String prefixColumns) {
        return """
                unnest(%scast(:opIds as text[]), cast(:opParents as text[]), cast(:opTypes as text[]),
                       cast(:opSubTypes as text[]), cast(:opNames as text[]), cast(:opStatuses as text[]),
                       cast(cast(:opAttempts as text[]) as int[]),
                       cast(cast(:opEndedAt as text[]) as timestamptz[]),
                       cast(:opResults as text[]), cast(:opErrors as text[]),
                       cast(cast(:opScheduledEndAt as text[]) as timestamptz[]),
                       cast(cast(:opNextAttemptAt as text[]) as timestamptz[]),
                       cast(:opCallbackIds as text[]),
                       cast(cast(:opHeartbeatTimeouts as text[]) as interval[]),
                       cast(cast(:opChildIds as text[]) as uuid[]),
                       cast(cast(:opStartedAt as text[]) as timestamptz[]))
                  with ordinality as u(%sid, parent_id, type, sub_type, name, status, attempt, ended_at, result, error,
                                       scheduled_end_at, next_attempt_at, callback_id, heartbeat_timeout,
                                       child_execution_id, started_at, ord)""".formatted(prefixArrays, prefixColumns);
    }

    static final String OPS_ON_CONFLICT = """
                on conflict on constraint pk_operations do update set
                    status = excluded.status,
                    parent_id = coalesce(excluded.parent_id, operations.parent_id),
                    sub_type = coalesce(excluded.sub_type, operations.sub_type),
                    name = coalesce(excluded.name, operations.name),
                    attempt = coalesce(excluded.attempt, operations.attempt),
                    ended_at = coalesce(excluded.ended_at, operations.ended_at),
                    result = coalesce(excluded.result, operations.result),
                    error = coalesce(excluded.error, operations.error),
                    scheduled_end_at = coalesce(excluded.scheduled_end_at, operations.scheduled_end_at),
                    next_attempt_at = coalesce(excluded.next_attempt_at, operations.next_attempt_at),
                    callback_id = coalesce(excluded.callback_id, operations.callback_id),
                    heartbeat_timeout = coalesce(excluded.heartbeat_timeout, operations.heartbeat_timeout),
                    child_execution_id = coalesce(excluded.child_execution_id, operations.child_execution_id)
                 -- only forward (OperationProgress): an update sent again, or one that a timer, a callback or a
                 -- child execution has overtaken, changes nothing and returns no row; what belongs to an operation
                 -- (its history events, its timers, its chained child) is written only for the rows returned
                 where %s
                returning execution_id, operation_id"""
            .formatted(OperationProgress.movesForward("operations", "excluded"));

    /** Inserts or updates the operations of one checkpoint or completion. */
    static final String OPS_UPSERT = OPS_INSERT + "\n" + OPS_VALUES.formatted(":now")
            + "\n  from fenced f\n cross join " + opsUnnest("", "") + "\n order by u.ord\n" + OPS_ON_CONFLICT;

    /**
     * The values of {@link #OPS_INSERT} for several executions' operations in one statement (each row with its
     * execution, {@code u.execution}), for the caller to join to its {@code fenced f} rows.
     */
    static String combinedValues() {
        return OPS_VALUES.formatted("f.now") + "\n  from "
                + opsUnnest("cast(cast(:opExecutions as text[]) as uuid[]), ", "execution, ");
    }
}
