package dev.cairn.orchestrator.ledger;

import static dev.cairn.orchestrator.sql.SqlTypes.text;

import dev.cairn.orchestrator.commit.CombineKind;
import dev.cairn.orchestrator.ledger.CheckpointStore.Write;
import dev.cairn.orchestrator.ledger.CheckpointStore.Written;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * Lean checkpoints, and lean completions, of distinct executions written together in ONE statement each, when the
 * group commit has several in one transaction: what each writes is kept ({@link Lean}, {@link LeanCompletion}) and
 * bound as arrays that carry every request's rows with its execution id.
 */
final class CombinedWrites {

    private static final PositionalStatement LEAN_CHECKPOINTS_STATEMENT =
            new PositionalStatement(CheckpointStatements.LEAN_CHECKPOINTS);
    private static final PositionalStatement LEAN_COMPLETIONS_STATEMENT =
            new PositionalStatement(CompletionStatements.LEAN_COMPLETIONS);

    private CombinedWrites() {
    }

    /** What a lean checkpoint writes, kept to be written with others ({@link #writeLean}). */
    record Lean(UUID executionId, UUID token, Instant now, Instant leaseUntil, Instant renewBelow,
            boolean wakesNow, List<OperationRow> operations, List<EventRow> events) {
    }

    /** What a lean completion writes, kept to be written with others ({@link #writeLeanCompletions}). */
    record LeanCompletion(UUID executionId, UUID token, Instant now, String status, String result,
            String error, boolean closing, boolean wakesNow, String workerStartedAt, String workerEndedAt,
            String outcome, List<OperationRow> operations, List<EventRow> events, List<TimerRow> timers) {
    }

    /** Lean checkpoints of distinct executions, written in one statement. */
    static final CombineKind<Write, Written> LEAN_CHECKPOINTS_KIND = CombinedWrites::writeLean;

    /** Lean completions of distinct executions, written in one statement. */
    static final CombineKind<Write, Written> LEAN_COMPLETIONS_KIND = CombinedWrites::writeLeanCompletions;

    /**
     * Writes lean completions of distinct executions in one statement ({@link CompletionStatements#LEAN_COMPLETIONS}); one that closes
     * a chained child is then written by its own full statement, on the same connection.
     *
     * @return each one's result, in order: null when fenced
     */
    private static List<Written> writeLeanCompletions(Connection connection, List<Write> works) throws SQLException {
        List<LeanCompletion> leans = new ArrayList<>(works.size());
        CheckpointParams.RowsOf<OperationRow> ops = new CheckpointParams.RowsOf<>();
        CheckpointParams.RowsOf<EventRow> events = new CheckpointParams.RowsOf<>();
        CheckpointParams.RowsOf<TimerRow> timers = new CheckpointParams.RowsOf<>();
        for (Write work : works) {
            LeanCompletion lean = work.leanCompletion;
            leans.add(lean);
            ops.add(lean.executionId(), lean.operations());
            events.add(lean.executionId(), lean.events());
            timers.add(lean.executionId(), lean.timers());
        }
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("ids", CheckpointParams.column(leans, l -> l.executionId().toString()))
                .addValue("tokens", CheckpointParams.column(leans, l -> l.token().toString()))
                .addValue("nows", CheckpointParams.column(leans, l -> text(l.now())))
                .addValue("statuses", CheckpointParams.column(leans, LeanCompletion::status))
                .addValue("results", CheckpointParams.column(leans, LeanCompletion::result))
                .addValue("errors", CheckpointParams.column(leans, LeanCompletion::error))
                .addValue("closings", CheckpointParams.column(leans, l -> l.closing() ? "true" : "false"))
                .addValue("wakesNow", CheckpointParams.column(leans, l -> l.wakesNow() ? "true" : "false"))
                .addValue("workerStartedAts", CheckpointParams.column(leans, LeanCompletion::workerStartedAt))
                .addValue("workerEndedAts", CheckpointParams.column(leans, LeanCompletion::workerEndedAt))
                .addValue("outcomes", CheckpointParams.column(leans, LeanCompletion::outcome))
                .addValue("opExecutions", ops.executions())
                .addValue("evExecutions", events.executions())
                .addValue("timerExecutions", timers.executions())
                .addValue("timerIds", CheckpointParams.column(timers.rows, TimerRow::timerId))
                .addValue("timerKinds", CheckpointParams.column(timers.rows, TimerRow::kind))
                .addValue("timerDueAt", CheckpointParams.column(timers.rows, t -> text(t.dueAt())))
                .addValue("timerOperations", CheckpointParams.column(timers.rows, TimerRow::operationId));
        CheckpointParams.bindOperations(params, ops.rows);
        CheckpointParams.bindEvents(params, events.rows);
        Set<UUID> chained = new HashSet<>();
        Map<UUID, Written> written = LEAN_COMPLETIONS_STATEMENT.run(connection,
                LEAN_COMPLETIONS_STATEMENT.values(params), rs -> {
                    Map<UUID, Written> rows = new HashMap<>();
                    while (rs.next()) {
                        UUID id = rs.getObject("execution_id", UUID.class);
                        if (rs.getBoolean("chained")) {
                            chained.add(id);
                        } else {
                            rows.put(id, Written.read(rs));
                        }
                    }
                    return rows;
                });
        List<Written> results = new ArrayList<>(leans.size());
        for (int i = 0; i < leans.size(); i++) {
            UUID id = leans.get(i).executionId();
            results.add(chained.contains(id) ? works.get(i).run(connection) : written.get(id));
        }
        return results;
    }

    /**
     * Writes lean checkpoints of distinct executions in one statement ({@link CheckpointStatements#LEAN_CHECKPOINTS}).
     *
     * @return each one's result, in order: null when fenced
     */
    private static List<Written> writeLean(Connection connection, List<Write> works) throws SQLException {
        List<Lean> leans = new ArrayList<>(works.size());
        CheckpointParams.RowsOf<OperationRow> ops = new CheckpointParams.RowsOf<>();
        CheckpointParams.RowsOf<EventRow> events = new CheckpointParams.RowsOf<>();
        for (Write work : works) {
            Lean lean = work.lean;
            leans.add(lean);
            ops.add(lean.executionId(), lean.operations());
            events.add(lean.executionId(), lean.events());
        }
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("ids", CheckpointParams.column(leans, l -> l.executionId().toString()))
                .addValue("tokens", CheckpointParams.column(leans, l -> l.token().toString()))
                .addValue("nows", CheckpointParams.column(leans, l -> text(l.now())))
                .addValue("leaseUntils", CheckpointParams.column(leans, l -> text(l.leaseUntil())))
                .addValue("renewBelows", CheckpointParams.column(leans, l -> text(l.renewBelow())))
                .addValue("wakesNow", CheckpointParams.column(leans, l -> l.wakesNow() ? "true" : "false"))
                .addValue("opExecutions", ops.executions())
                .addValue("evExecutions", events.executions());
        CheckpointParams.bindOperations(params, ops.rows);
        CheckpointParams.bindEvents(params, events.rows);
        Map<UUID, Written> written = LEAN_CHECKPOINTS_STATEMENT.queryAll(connection,
                LEAN_CHECKPOINTS_STATEMENT.values(params));
        List<Written> results = new ArrayList<>(leans.size());
        for (Lean lean : leans) {
            results.add(written.get(lean.executionId()));
        }
        return results;
    }
}
