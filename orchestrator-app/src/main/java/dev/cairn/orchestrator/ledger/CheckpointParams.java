package dev.cairn.orchestrator.ledger;

import static dev.cairn.orchestrator.sql.SqlTypes.at;
import static dev.cairn.orchestrator.sql.SqlTypes.text;
import static dev.cairn.orchestrator.sql.SqlTypes.textArrayLiteral;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/** The values of the checkpoint statements: a plan's rows as one text array per column. */
final class CheckpointParams {

    private CheckpointParams() {
    }

    static MapSqlParameterSource bind(UUID executionId, UUID token, CheckpointPlan plan, Instant now,
            List<EventRow> events, boolean closing) {
        List<OperationRow> ops = plan.operations();
        List<TimerRow> timers = closing ? List.of() : plan.timerUpserts();
        List<ChildStart> children = plan.children();
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("executionId", executionId)
                .addValue("token", token)
                .addValue("now", at(now))
                .addValue("closing", closing)
                .addValue("wakesNow", plan.wakesNow())
                .addValue("cancelIds", textArrayLiteral(plan.cancelled()))
                .addValue("timerIds", column(timers, TimerRow::timerId))
                .addValue("timerKinds", column(timers, TimerRow::kind))
                .addValue("timerDueAt", column(timers, t -> text(t.dueAt())))
                .addValue("timerOperations", column(timers, TimerRow::operationId))
                .addValue("timerDeletes", textArrayLiteral(closing ? List.of() : plan.timerDeletes()))
                .addValue("childIds", column(children, c -> c.executionId().toString()))
                .addValue("childWorkflows", column(children, ChildStart::workflow))
                .addValue("childVersions", column(children, ChildStart::version))
                .addValue("childInputs", column(children, ChildStart::input))
                .addValue("childTimeoutAt", column(children, c -> text(c.timeoutAt())))
                .addValue("childOperations", column(children, ChildStart::parentOperationId));
        bindOperations(params, ops);
        bindEvents(params, events);
        return params;
    }

    static void bindOperations(MapSqlParameterSource params, List<OperationRow> ops) {
        params
                .addValue("opIds", column(ops, OperationRow::id))
                .addValue("opParents", column(ops, OperationRow::parentId))
                .addValue("opTypes", column(ops, OperationRow::type))
                .addValue("opSubTypes", column(ops, OperationRow::subType))
                .addValue("opNames", column(ops, OperationRow::name))
                .addValue("opStatuses", column(ops, OperationRow::status))
                .addValue("opAttempts", column(ops, r -> r.attempt() == null ? null : r.attempt().toString()))
                .addValue("opEndedAt", column(ops, r -> text(r.endedAt())))
                .addValue("opResults", column(ops, OperationRow::result))
                .addValue("opErrors", column(ops, OperationRow::error))
                .addValue("opScheduledEndAt", column(ops, r -> text(r.scheduledEndAt())))
                .addValue("opNextAttemptAt", column(ops, r -> text(r.nextAttemptAt())))
                .addValue("opCallbackIds", column(ops, OperationRow::callbackId))
                .addValue("opHeartbeatTimeouts", column(ops,
                        r -> r.heartbeatTimeout() == null ? null : r.heartbeatTimeout().toString()))
                .addValue("opChildIds", column(ops, OperationRow::childExecutionId))
                .addValue("opStartedAt", column(ops, r -> text(r.startedAt())));
    }

    static void bindEvents(MapSqlParameterSource params, List<EventRow> events) {
        params
                .addValue("evTypes", column(events, EventRow::type))
                .addValue("evOperationIds", column(events, EventRow::operationId))
                .addValue("evNames", column(events, EventRow::name))
                .addValue("evDetails", column(events, EventRow::details));
    }

    static <T> Object column(List<T> rows, Function<T, String> value) {
        List<String> values = new ArrayList<>(rows.size());
        for (T row : rows) {
            values.add(value.apply(row));
        }
        return textArrayLiteral(values);
    }

    /** Rows of several executions for the arrays of a combined statement, each with its execution's id. */
    static final class RowsOf<T> {

        final List<T> rows = new ArrayList<>();
        private final List<String> executions = new ArrayList<>();

        void add(UUID executionId, List<T> more) {
            String id = executionId.toString();
            for (T row : more) {
                rows.add(row);
                executions.add(id);
            }
        }

        /** The execution id of each row, as a text array. */
        Object executions() {
            return textArrayLiteral(executions);
        }
    }
}
