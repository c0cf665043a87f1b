package dev.cairn.orchestrator.checkpoint;

import static dev.cairn.orchestrator.sql.SqlTypes.at;
import static dev.cairn.orchestrator.sql.SqlTypes.text;
import static dev.cairn.orchestrator.sql.SqlTypes.textArrayLiteral;

import dev.cairn.orchestrator.chain.ChildCloseSql;
import dev.cairn.orchestrator.commit.Combinable;
import dev.cairn.orchestrator.commit.CombineKind;
import dev.cairn.orchestrator.commit.GroupCommit;
import dev.cairn.orchestrator.commit.Outcome;
import dev.cairn.orchestrator.commit.Work;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.jdbc.support.SqlValue;
import org.springframework.stereotype.Repository;

/**
 * Writes checkpoints and completions. Each request is ONE statement (one round trip, its own transaction): a
 * fenced update of the execution, on which every other part depends, so that a stale token writes nothing; then
 * the operation upserts, the cancellation of what cancelled contexts hold, the history events, the timer changes,
 * chained child executions to start, and — when a completion closes a chained child — the parent's operation, all
 * from arrays. A plain checkpoint (operations and events only) uses a lean statement with just those parts. An
 * operation only moves forward ({@link OperationProgress}); the events, timers and chained child of an operation are
 * written only when its row was inserted or moved, so a request sent again writes nothing more.
 *
 * <p>Statements of concurrent requests commit together ({@link GroupCommit}): a request with no other in flight runs
 * alone in autocommit (one round trip); requests that arrive while a commit runs are written next, in one
 * transaction: plain checkpoints of distinct executions in ONE statement ({@link #writeLean}), lean completions of
 * distinct executions in another ({@link #writeLeanCompletions}), the others one statement each. Each checkpoint is
 * fenced on its own: a stale token writes nothing and answers null, whatever the other requests of its batch do. The
 * SQL is parsed once into a positional statement.
 */
@Repository
public class CheckpointStore {

    private static final String CHECKPOINT_FENCE = """
            fenced as (
                update executions e
                   -- renewed only when less than half of it is left: most checkpoints then change no indexed
                   -- column of the row (a HOT update, no new index entries)
                   set lease_expires_at = case when e.lease_expires_at < cast(:renewBelow as timestamptz)
                                               then cast(:leaseUntil as timestamptz)
                                               else e.lease_expires_at end,
                       ready_at = case when :wakesNow then coalesce(e.ready_at, :now) else e.ready_at end
                 where e.execution_id = :executionId and e.invocation_token = :token and e.status = 'RUNNING'
                returning e.execution_id, e.ready_at, e.worker_id, e.invocation_started_at, e.retention_days,
                          e.parent_execution_id, e.parent_operation_id, e.workflow
            )""";

    /**
     * A completion that closes a chained child writes its parent's row too: the parent is locked first, before the
     * child (the lock order: an execution before its children), as a stop of the parent does.
     */
    private static final String COMPLETE_FENCE = """
            parent_first as materialized (
                select p.execution_id from executions p
                 where :closing
                   and p.execution_id = (select x.parent_execution_id from executions x
                                          where x.execution_id = :executionId)
                 for no key update
            ), current_invocation as materialized (
                select execution_id, worker_id, invocation_started_at from executions
                 where execution_id = :executionId and invocation_token = :token and status = 'RUNNING'
                   and (select count(*) from parent_first) >= 0
                 for update
            ), fenced as (
                update executions e
                   set status = :status, result = :result, error = :error, ended_at = cast(:endedAt as timestamptz),
                       ready_at = case when :closing then null
                                       when :wakesNow then coalesce(e.ready_at, :now)
                                       else e.ready_at end,
                       invocation_token = null, lease_expires_at = null, worker_id = null, invocation_started_at = null,
                       completed_invocation_token = e.invocation_token
                  from current_invocation c
                 where e.execution_id = c.execution_id
                returning e.execution_id, e.ready_at, c.worker_id, c.invocation_started_at, e.retention_days,
                          e.parent_execution_id, e.parent_operation_id, e.workflow
            )""";

    private static final String INVOCATION_COMPLETED_DETAILS = """
            case when h.type = 'InvocationCompleted' and h.details is null
                 then json_build_object(
                        'startedAt', coalesce(cast(:workerStartedAt as text),
                                              to_char(f.invocation_started_at at time zone 'UTC',
                                                      'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
                        'endedAt', cast(:workerEndedAt as text),
                        'outcome', cast(:outcome as text),
                        'workerId', f.worker_id)::text
                 else h.details end""";

    /** A completion that closes a chained child records it in the parent. */
    private static final String COMPLETE_CHILD_CLOSE = """
            , closed_children as (
                select f.execution_id, f.parent_execution_id, f.parent_operation_id, cast(:status as text) as status,
                       cast(:result as text) as result, cast(:error as text) as error
                  from fenced f
                 where :closing and f.parent_execution_id is not null
            ), %s""".formatted(ChildCloseSql.ctes("select execution_id from fenced", ChildCloseSql.NONE));

    private static final String NO_CHILD_CLOSE = """
            , parents_ready as (select cast(null as uuid) as execution_id where false)""";

    private static final String OPEN = "('STARTED', 'PENDING', 'READY')";

    /** The operations' columns that a checkpoint writes, in the order of {@link #OPS_VALUES}. */
    private static final String OPS_INSERT = """
                insert into operations (execution_id, operation_id, parent_id, type, sub_type, name, status, attempt,
                                        started_at, ended_at, result, error, scheduled_end_at, next_attempt_at,
                                        callback_id, heartbeat_timeout, child_execution_id)""";

    /**
     * The values of {@link #OPS_INSERT}, from {@code f} (the fenced execution, with {@code now}) and {@code u}. A new
     * operation starts when the worker says its body began, never later than {@code now}; {@link #OPS_ON_CONFLICT}
     * never moves the start of a stored one. ({@code least} skips a null: no time from the worker means {@code now}.)
     */
    private static final String OPS_VALUES = """
                select f.execution_id, u.id, u.parent_id, u.type, u.sub_type, u.name, u.status, u.attempt,
                       least(u.started_at, %s),
                       u.ended_at, u.result, u.error, u.scheduled_end_at, u.next_attempt_at, u.callback_id,
                       u.heartbeat_timeout, u.child_execution_id""";

    /** The operations' arrays (one element per operation), after {@code prefix} arrays, as {@code u}. */
    private static String opsUnnest(String prefixArrays, String prefixColumns) {
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

    private static final String OPS_ON_CONFLICT = """
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
    private static final String OPS_UPSERT = OPS_INSERT + "\n" + OPS_VALUES.formatted(":now")
            + "\n  from fenced f\n cross join " + opsUnnest("", "") + "\n order by u.ord\n" + OPS_ON_CONFLICT;

    private static final String BODY = """
            with %s,
            ops as (%s
            ), cancelled as (
                update operations o set status = 'CANCELLED', ended_at = :now
                  from fenced f
                 where o.execution_id = f.execution_id and o.status in %s
                   and cardinality(cast(:cancelIds as text[])) > 0
                   and exists (select 1 from unnest(cast(:cancelIds as text[])) as c(id)
                                where left(o.operation_id, length(c.id) + 1) = c.id || '-')
                   and o.operation_id <> all(cast(:opIds as text[]))
            ), events as (
                insert into history_events (execution_id, type, occurred_at, operation_id, name, details)
                select f.execution_id, h.type, :now, h.operation_id, h.name, %s
                  from fenced f
                 cross join unnest(cast(:evTypes as text[]), cast(:evOperationIds as text[]), cast(:evNames as text[]),
                                   cast(:evDetails as text[]))
                       with ordinality as h(type, operation_id, name, details, ord)
                 where h.operation_id is null or h.operation_id in (select operation_id from ops)
                 order by h.ord
            ), timers_set as (
                insert into timers (execution_id, timer_id, kind, due_at, operation_id)
                select f.execution_id, t.id, t.kind, t.due_at, t.operation_id
                  from fenced f
                 cross join unnest(cast(:timerIds as text[]), cast(:timerKinds as text[]),
                                   cast(cast(:timerDueAt as text[]) as timestamptz[]),
                                   cast(:timerOperations as text[])) as t(id, kind, due_at, operation_id)
                 where t.operation_id in (select operation_id from ops)
                on conflict on constraint pk_timers do update
                   set kind = excluded.kind, due_at = excluded.due_at, operation_id = excluded.operation_id
            ), timers_gone as (
                -- a timer that a poller is firing right now is skipped: firing it finds nothing left to do
                delete from timers t
                 where (t.execution_id, t.timer_id) in (
                        select x.execution_id, x.timer_id from timers x join fenced f on x.execution_id = f.execution_id
                         where (:closing
                                or x.timer_id = any(cast(:timerDeletes as text[]))
                                or exists (select 1 from unnest(cast(:cancelIds as text[])) as c(id)
                                            where x.operation_id = c.id
                                               or left(x.operation_id, length(c.id) + 1) = c.id || '-'))
                           and x.timer_id <> all(cast(:timerIds as text[]))
                         for update of x skip locked)
            ), children as (
                insert into executions (execution_id, workflow, version, status, input, started_at, timeout_at,
                                        retention_days, ready_at, parent_execution_id, parent_operation_id)
                select c.id, c.workflow, c.version, 'RUNNING', c.input, :now, c.timeout_at, f.retention_days, :now,
                       f.execution_id, c.operation_id
                  from fenced f
                 cross join unnest(cast(cast(:childIds as text[]) as uuid[]), cast(:childWorkflows as text[]),
                                   cast(:childVersions as text[]), cast(:childInputs as text[]),
                                   cast(cast(:childTimeoutAt as text[]) as timestamptz[]),
                                   cast(:childOperations as text[]))
                       as c(id, workflow, version, input, timeout_at, operation_id)
                 where c.operation_id in (select operation_id from ops)
                on conflict do nothing
                returning execution_id, workflow, version, timeout_at, parent_execution_id, parent_operation_id
            ), children_started as (
                insert into history_events (execution_id, type, occurred_at, details)
                select execution_id, 'ExecutionStarted', :now,
                       json_strip_nulls(json_build_object(
                           'workflow', workflow, 'version', version,
                           'timeoutAt', to_char(timeout_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                           'parentExecutionId', parent_execution_id, 'parentOperationId', parent_operation_id))::text
                  from children
            ), children_timeouts as (
                insert into timers (execution_id, timer_id, kind, due_at)
                select execution_id, 'execution-timeout', 'EXECUTION_TIMEOUT', timeout_at
                  from children where timeout_at is not null
            )%s
            select f.execution_id, f.workflow, f.ready_at is not null as ready,
                   (select count(*) from children) + (select count(*) from parents_ready) as woke_others,
                   (select coalesce(array_agg(workflow), '{}') from children) as child_workflows
              from fenced f
            """;

    /**
     * The common checkpoint: operations and their history events, nothing else (no timers, cancellations, chained
     * children or wake-ups), so PostgreSQL opens three tables rather than every part of the full statement.
     */
    private static final String LEAN_CHECKPOINT = """
            with %s,
            ops as (%s
            ), events as (
                insert into history_events (execution_id, type, occurred_at, operation_id, name, details)
                select f.execution_id, h.type, :now, h.operation_id, h.name, h.details
                  from fenced f
                 cross join unnest(cast(:evTypes as text[]), cast(:evOperationIds as text[]), cast(:evNames as text[]),
                                   cast(:evDetails as text[]))
                       with ordinality as h(type, operation_id, name, details, ord)
                 where h.operation_id is null or h.operation_id in (select operation_id from ops)
                 order by h.ord
            )
            select f.execution_id, f.workflow, f.ready_at is not null as ready, 0 as woke_others,
                   cast('{}' as text[]) as child_workflows
              from fenced f
            """.formatted(CHECKPOINT_FENCE, OPS_UPSERT);

    /**
     * Lean checkpoints of several executions (each at most once) in ONE statement: the same writes as
     * {@link #LEAN_CHECKPOINT} for each, from arrays that carry every checkpoint's rows with its execution id. A
     * fenced execution writes nothing and has no row in the answer.
     */
    private static final String LEAN_CHECKPOINTS = """
            with input as materialized (
                select * from unnest(cast(cast(:ids as text[]) as uuid[]), cast(cast(:tokens as text[]) as uuid[]),
                                     cast(cast(:nows as text[]) as timestamptz[]),
                                     cast(cast(:leaseUntils as text[]) as timestamptz[]),
                                     cast(cast(:renewBelows as text[]) as timestamptz[]),
                                     cast(cast(:wakesNow as text[]) as boolean[]))
                       as i(execution_id, token, now, lease_until, renew_below, wakes_now)
            ), fenced as (
                update executions e
                   set lease_expires_at = case when e.lease_expires_at < i.renew_below then i.lease_until
                                               else e.lease_expires_at end,
                       ready_at = case when i.wakes_now then coalesce(e.ready_at, i.now) else e.ready_at end
                  from input i
                 where e.execution_id = i.execution_id and e.invocation_token = i.token and e.status = 'RUNNING'
                returning e.execution_id, e.ready_at, e.workflow, i.now
            ), ops as (
            %s
            %s
              join fenced f on f.execution_id = u.execution
             order by u.ord
            %s
            ), events as (
                insert into history_events (execution_id, type, occurred_at, operation_id, name, details)
                select f.execution_id, h.type, f.now, h.operation_id, h.name, h.details
                  from unnest(cast(cast(:evExecutions as text[]) as uuid[]), cast(:evTypes as text[]),
                              cast(:evOperationIds as text[]), cast(:evNames as text[]), cast(:evDetails as text[]))
                       with ordinality as h(execution, type, operation_id, name, details, ord)
                  join fenced f on f.execution_id = h.execution
                 where h.operation_id is null
                    or (h.execution, h.operation_id) in (select execution_id, operation_id from ops)
                 order by h.ord
            )
            select f.execution_id, f.workflow, f.ready_at is not null as ready, 0 as woke_others,
                   cast('{}' as text[]) as child_workflows
              from fenced f
            """.formatted(OPS_INSERT, OPS_VALUES.formatted("f.now") + "\n  from "
                    + opsUnnest("cast(cast(:opExecutions as text[]) as uuid[]), ", "execution, "), OPS_ON_CONFLICT);

    /**
     * Lean completions of several executions (each at most once) in ONE statement: a completion that cancels
     * nothing, deletes no timer and starts no chained child. Each releases its lease and takes its new state, writes
     * its operations, its events ({@code InvocationCompleted} with its details, the closing event) and the timers it
     * sets; one that closes deletes its timers. One that closes a chained child (its parent must learn it) is not
     * written here: its row answers {@code chained} and it is written by the full statement, in the same
     * transaction. A fenced execution writes nothing and has no row in the answer.
     */
    private static final String LEAN_COMPLETIONS = """
            with input as materialized (
                select * from unnest(cast(cast(:ids as text[]) as uuid[]), cast(cast(:tokens as text[]) as uuid[]),
                                     cast(cast(:nows as text[]) as timestamptz[]), cast(:statuses as text[]),
                                     cast(:results as text[]), cast(:errors as text[]),
                                     cast(cast(:closings as text[]) as boolean[]),
                                     cast(cast(:wakesNow as text[]) as boolean[]),
                                     cast(:workerStartedAts as text[]), cast(:workerEndedAts as text[]),
                                     cast(:outcomes as text[]))
                       as i(execution_id, token, now, status, result, error, closing, wakes_now, worker_started_at,
                            worker_ended_at, outcome)
            ), parents_first as materialized (
                -- the parents of closing chained children, locked before the children (see COMPLETE_FENCE)
                select p.execution_id from executions p
                 where p.execution_id in (select x.parent_execution_id from executions x
                                            join input i on i.execution_id = x.execution_id
                                           where i.closing)
                 order by p.execution_id
                 for no key update
            ), current_invocation as materialized (
                select e.execution_id, e.worker_id, e.invocation_started_at,
                       e.parent_execution_id is not null as chained
                  from executions e join input i on i.execution_id = e.execution_id
                 where e.invocation_token = i.token and e.status = 'RUNNING'
                   and (select count(*) from parents_first) >= 0
                 for update of e
            ), fenced as (
                update executions e
                   set status = i.status, result = i.result, error = i.error,
                       ended_at = case when i.closing then i.now end,
                       ready_at = case when i.closing then null
                                       when i.wakes_now then coalesce(e.ready_at, i.now)
                                       else e.ready_at end,
                       invocation_token = null, lease_expires_at = null, worker_id = null, invocation_started_at = null,
                       completed_invocation_token = e.invocation_token
                  from current_invocation c join input i on i.execution_id = c.execution_id
                 where e.execution_id = c.execution_id and not (i.closing and c.chained)
                returning e.execution_id, e.ready_at, e.workflow, c.worker_id, c.invocation_started_at, i.now,
                          i.closing, i.worker_started_at, i.worker_ended_at, i.outcome
            ), ops as (
            %s
            %s
              join fenced f on f.execution_id = u.execution
             order by u.ord
            %s
            ), events as (
                insert into history_events (execution_id, type, occurred_at, operation_id, name, details)
                select f.execution_id, h.type, f.now, h.operation_id, h.name,
                       case when h.type = 'InvocationCompleted' and h.details is null
                            then json_build_object(
                                   'startedAt', coalesce(f.worker_started_at,
                                                         to_char(f.invocation_started_at at time zone 'UTC',
                                                                 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
                                   'endedAt', f.worker_ended_at, 'outcome', f.outcome,
                                   'workerId', f.worker_id)::text
                            else h.details end
                  from unnest(cast(cast(:evExecutions as text[]) as uuid[]), cast(:evTypes as text[]),
                              cast(:evOperationIds as text[]), cast(:evNames as text[]), cast(:evDetails as text[]))
                       with ordinality as h(execution, type, operation_id, name, details, ord)
                  join fenced f on f.execution_id = h.execution
                 where h.operation_id is null
                    or (h.execution, h.operation_id) in (select execution_id, operation_id from ops)
                 order by h.ord
            ), timers_set as (
                insert into timers (execution_id, timer_id, kind, due_at, operation_id)
                select f.execution_id, t.id, t.kind, t.due_at, t.operation_id
                  from unnest(cast(cast(:timerExecutions as text[]) as uuid[]), cast(:timerIds as text[]),
                              cast(:timerKinds as text[]), cast(cast(:timerDueAt as text[]) as timestamptz[]),
                              cast(:timerOperations as text[])) as t(execution, id, kind, due_at, operation_id)
                  join fenced f on f.execution_id = t.execution
                 where (t.execution, t.operation_id) in (select execution_id, operation_id from ops)
                on conflict on constraint pk_timers do update
                   set kind = excluded.kind, due_at = excluded.due_at, operation_id = excluded.operation_id
            ), timers_gone as (
                -- a timer that a poller is firing right now is skipped: firing it finds nothing left to do
                delete from timers t
                 where (t.execution_id, t.timer_id) in (
                        select x.execution_id, x.timer_id from timers x join fenced f on x.execution_id = f.execution_id
                         where f.closing
                         for update of x skip locked)
            )
            select f.execution_id, f.workflow, f.ready_at is not null as ready, 0 as woke_others,
                   cast('{}' as text[]) as child_workflows, false as chained
              from fenced f
            union all
            select c.execution_id, null, false, 0, cast('{}' as text[]), true
              from current_invocation c join input i on i.execution_id = c.execution_id
             where i.closing and c.chained
            """.formatted(OPS_INSERT, OPS_VALUES.formatted("f.now") + "\n  from "
                    + opsUnnest("cast(cast(:opExecutions as text[]) as uuid[]), ", "execution, "), OPS_ON_CONFLICT);

    private static final String CHECKPOINT = BODY.formatted(CHECKPOINT_FENCE, OPS_UPSERT, OPEN, "h.details",
            NO_CHILD_CLOSE);
    private static final String COMPLETE = BODY.formatted(COMPLETE_FENCE, OPS_UPSERT, OPEN, INVOCATION_COMPLETED_DETAILS,
            COMPLETE_CHILD_CLOSE);

    private static final Statement CHECKPOINT_STATEMENT = new Statement(CHECKPOINT);
    private static final Statement COMPLETE_STATEMENT = new Statement(COMPLETE);
    private static final Statement LEAN_CHECKPOINT_STATEMENT = new Statement(LEAN_CHECKPOINT);
    private static final Statement LEAN_CHECKPOINTS_STATEMENT = new Statement(LEAN_CHECKPOINTS);
    private static final Statement LEAN_COMPLETIONS_STATEMENT = new Statement(LEAN_COMPLETIONS);

    private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);

    private final GroupCommit group;
    private final CompletedInvocations completed;

    /**
     * @param writers how many batches may be written at the same time, each on its own connection
     * @param maxBatch the most requests one transaction carries
     * @param writerWait how long a request waits for a writer before it fails unwritten (503)
     */
    @Autowired
    public CheckpointStore(JdbcTemplate jdbc, ObjectProvider<MeterRegistry> registry,
            @Value("${cairn.orchestrator.checkpoint-writers:1}") int writers,
            @Value("${cairn.orchestrator.checkpoint-max-batch:64}") int maxBatch,
            @Value("${cairn.orchestrator.checkpoint-writer-wait:5s}") Duration writerWait) {
        this(jdbc.getDataSource(), jdbc.getExceptionTranslator(), writers, maxBatch, writerWait);
        registry.ifAvailable(r -> {
            FunctionCounter.builder("cairn.checkpoint.requests", group, GroupCommit::requests)
                    .description("checkpoints and completions written (fenced ones included)").register(r);
            FunctionCounter.builder("cairn.checkpoint.transactions", group, GroupCommit::transactions)
                    .description("transactions that wrote them: requests / transactions is the mean batch size")
                    .register(r);
        });
    }

    CheckpointStore(DataSource dataSource, SQLExceptionTranslator translator, int writers, int maxBatch) {
        this(dataSource, translator, writers, maxBatch, GroupCommit.DEFAULT_WRITER_WAIT);
    }

    CheckpointStore(DataSource dataSource, SQLExceptionTranslator translator, int writers, int maxBatch,
            Duration writerWait) {
        this.group = new GroupCommit(dataSource, translator, writers, maxBatch, writerWait);
        this.completed = new CompletedInvocations(dataSource);
    }

    GroupCommit groupCommit() {
        return group;
    }

    @PreDestroy
    void report() {
        log.info("Group commit wrote {} checkpoints and completions in {} transactions", group.requests(),
                group.transactions());
    }

    /**
     * What a statement did.
     *
     * @param ready whether the execution is ready for another invocation
     * @param wokeOthers whether other executions became ready (children started, a parent woken)
     * @param workflow the execution's workflow
     * @param childWorkflows the workflows of the chained child executions it started
     */
    public record Written(boolean ready, boolean wokeOthers, String workflow, List<String> childWorkflows) {

        public Written {
            childWorkflows = List.copyOf(childWorkflows);
        }

        static Written read(ResultSet rs) throws SQLException {
            return new Written(rs.getBoolean("ready"), rs.getLong("woke_others") > 0, rs.getString("workflow"),
                    List.of((String[]) rs.getArray("child_workflows").getArray()));
        }
    }

    /**
     * Applies a checkpoint and extends the lease, if {@code token} is the execution's current one.
     *
     * @return null when fenced (nothing was written)
     */
    public Written checkpoint(UUID executionId, UUID token, CheckpointPlan plan, Instant now, Instant leaseUntil) {
        return group.submit(checkpointWrite(executionId, token, plan, now, leaseUntil));
    }

    /**
     * Applies a completion (its pending updates, the execution's new state, {@code InvocationCompleted} and, when it
     * closes, the closing event, the removal of its timers and, for a chained child, the parent's operation),
     * releasing the lease.
     *
     * @return null when fenced (nothing was written), else whether the execution is ready again (something made it
     *     ready during the invocation, e.g. a timer fired) and whether others became ready
     */
    public Written complete(UUID executionId, UUID token, CheckpointPlan plan, Completion completion, Instant now) {
        return group.submit(completionWrite(executionId, token, plan, completion, now));
    }

    /**
     * Whether a fenced completion repeats the completion that closed the execution's last invocation (its answer was
     * lost): then the execution's workflow.
     */
    Optional<String> repeatedCompletion(UUID executionId, UUID token, Completion completion) {
        return completed.workflowIfLastCompleted(executionId, token, completion);
    }

    /** Writes one checkpoint or completion (made by {@link #checkpointWrite}/{@link #completionWrite}). */
    Written write(Write write) {
        return group.submit(write);
    }

    /**
     * Writes several checkpoints and completions (made by {@link #checkpointWrite}/{@link #completionWrite})
     * through the group commit, in as few transactions as it allows, and answers each one's own outcome in order: a
     * null result when fenced, or the exception of its own statement. Never throws for one of them.
     */
    List<Outcome<Written>> writeAll(List<Write> writes) {
        return group.submitAll(writes);
    }

    /** A checkpoint's statement, bound and ready to be written (see {@link #checkpoint}). */
    Write checkpointWrite(UUID executionId, UUID token, CheckpointPlan plan, Instant now, Instant leaseUntil) {
        Instant renewBelow = now.plus(Duration.between(now, leaseUntil).dividedBy(2));
        MapSqlParameterSource params = bind(executionId, token, plan, now, plan.events(), false)
                .addValue("leaseUntil", at(leaseUntil))
                .addValue("renewBelow", at(renewBelow));
        boolean lean = plan.cancelled().isEmpty() && plan.timerUpserts().isEmpty()
                && plan.timerDeletes().isEmpty() && plan.children().isEmpty();
        if (!lean) {
            return new Write(executionId, CHECKPOINT_STATEMENT, params, null, null);
        }
        return new Write(executionId, LEAN_CHECKPOINT_STATEMENT, params, new Lean(executionId, token, now, leaseUntil,
                renewBelow, plan.wakesNow(), plan.operations(), plan.events()), null);
    }

    /** A completion's statement, bound and ready to be written (see {@link #complete}). */
    Write completionWrite(UUID executionId, UUID token, CheckpointPlan plan, Completion completion, Instant now) {
        List<EventRow> events = new ArrayList<>(plan.events());
        events.add(new EventRow("InvocationCompleted", null, null, null));
        if (completion.closingEvent() != null) {
            events.add(completion.closingEvent());
        }
        MapSqlParameterSource params = bind(executionId, token, plan, now, events, completion.closes())
                .addValue("status", completion.status())
                .addValue("result", completion.result())
                .addValue("error", completion.error())
                .addValue("endedAt", completion.closes() ? at(now) : null)
                .addValue("workerStartedAt", text(completion.workerStartedAt()))
                .addValue("workerEndedAt", text(completion.workerEndedAt() != null ? completion.workerEndedAt() : now))
                .addValue("outcome", completion.outcome().name());
        boolean lean = plan.cancelled().isEmpty() && plan.timerDeletes().isEmpty() && plan.children().isEmpty();
        return new Write(executionId, COMPLETE_STATEMENT, params, null, !lean ? null
                : new LeanCompletion(executionId, token, now, completion.status(), completion.result(),
                        completion.error(), completion.closes(), plan.wakesNow(),
                        text(completion.workerStartedAt()),
                        text(completion.workerEndedAt() != null ? completion.workerEndedAt() : now),
                        completion.outcome().name(), plan.operations(), events,
                        completion.closes() ? List.of() : plan.timerUpserts()));
    }

    /**
     * One checkpoint's or completion's statement with its values: written, it answers null when fenced. A lean one
     * ({@link Lean}, {@link LeanCompletion}) can also be written with others of its kind, of other executions, in one
     * statement ({@link #LEAN_CHECKPOINTS_KIND}, {@link #LEAN_COMPLETIONS_KIND}).
     */
    static final class Write implements Work<Written> {

        private final UUID executionId;
        private final Statement statement;
        private final MapSqlParameterSource params;
        /** At most one of the two is set: what it writes when written with others of its kind. */
        private final Lean lean;
        private final LeanCompletion leanCompletion;
        private final Combinable<Write, Written> combinable;
        /** Bound on the request's thread, unless the write is lean: those are mostly written combined. */
        private Object[] values;

        private Write(UUID executionId, Statement statement, MapSqlParameterSource params, Lean lean,
                LeanCompletion leanCompletion) {
            this.executionId = executionId;
            this.statement = statement;
            this.params = params;
            this.lean = lean;
            this.leanCompletion = leanCompletion;
            this.combinable = lean != null ? new Combinable<>(LEAN_CHECKPOINTS_KIND, executionId, this)
                    : leanCompletion != null ? new Combinable<>(LEAN_COMPLETIONS_KIND, executionId, this) : null;
            this.values = combinable == null ? statement.values(params) : null;
        }

        @Override
        public Written run(Connection connection) throws SQLException {
            if (values == null) {
                values = statement.values(params);
            }
            return statement.query(connection, values);
        }

        @Override
        public Combinable<Write, Written> combinable() {
            return combinable;
        }

        /** One execution's checkpoints and completion are written in the order they came. */
        @Override
        public Object sequenceKey() {
            return executionId;
        }
    }

    /** What a lean checkpoint writes, kept to be written with others ({@link #writeLean}). */
    private record Lean(UUID executionId, UUID token, Instant now, Instant leaseUntil, Instant renewBelow,
            boolean wakesNow, List<OperationRow> operations, List<EventRow> events) {
    }

    /** What a lean completion writes, kept to be written with others ({@link #writeLeanCompletions}). */
    private record LeanCompletion(UUID executionId, UUID token, Instant now, String status, String result,
            String error, boolean closing, boolean wakesNow, String workerStartedAt, String workerEndedAt,
            String outcome, List<OperationRow> operations, List<EventRow> events, List<TimerRow> timers) {
    }

    /** Rows of several executions for the arrays of a combined statement, each with its execution's id. */
    private static final class RowsOf<T> {

        private final List<T> rows = new ArrayList<>();
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

    /** Lean checkpoints of distinct executions, written in one statement. */
    private static final CombineKind<Write, Written> LEAN_CHECKPOINTS_KIND = CheckpointStore::writeLean;

    /** Lean completions of distinct executions, written in one statement. */
    private static final CombineKind<Write, Written> LEAN_COMPLETIONS_KIND = CheckpointStore::writeLeanCompletions;

    /**
     * Writes lean completions of distinct executions in one statement ({@link #LEAN_COMPLETIONS}); one that closes
     * a chained child is then written by its own full statement, on the same connection.
     *
     * @return each one's result, in order: null when fenced
     */
    private static List<Written> writeLeanCompletions(Connection connection, List<Write> works) throws SQLException {
        List<LeanCompletion> leans = new ArrayList<>(works.size());
        RowsOf<OperationRow> ops = new RowsOf<>();
        RowsOf<EventRow> events = new RowsOf<>();
        RowsOf<TimerRow> timers = new RowsOf<>();
        for (Write work : works) {
            LeanCompletion lean = work.leanCompletion;
            leans.add(lean);
            ops.add(lean.executionId(), lean.operations());
            events.add(lean.executionId(), lean.events());
            timers.add(lean.executionId(), lean.timers());
        }
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("ids", column(leans, l -> l.executionId().toString()))
                .addValue("tokens", column(leans, l -> l.token().toString()))
                .addValue("nows", column(leans, l -> text(l.now())))
                .addValue("statuses", column(leans, LeanCompletion::status))
                .addValue("results", column(leans, LeanCompletion::result))
                .addValue("errors", column(leans, LeanCompletion::error))
                .addValue("closings", column(leans, l -> l.closing() ? "true" : "false"))
                .addValue("wakesNow", column(leans, l -> l.wakesNow() ? "true" : "false"))
                .addValue("workerStartedAts", column(leans, LeanCompletion::workerStartedAt))
                .addValue("workerEndedAts", column(leans, LeanCompletion::workerEndedAt))
                .addValue("outcomes", column(leans, LeanCompletion::outcome))
                .addValue("opExecutions", ops.executions())
                .addValue("evExecutions", events.executions())
                .addValue("timerExecutions", timers.executions())
                .addValue("timerIds", column(timers.rows, TimerRow::timerId))
                .addValue("timerKinds", column(timers.rows, TimerRow::kind))
                .addValue("timerDueAt", column(timers.rows, t -> text(t.dueAt())))
                .addValue("timerOperations", column(timers.rows, TimerRow::operationId));
        bindOperations(params, ops.rows);
        bindEvents(params, events.rows);
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
     * Writes lean checkpoints of distinct executions in one statement ({@link #LEAN_CHECKPOINTS}).
     *
     * @return each one's result, in order: null when fenced
     */
    private static List<Written> writeLean(Connection connection, List<Write> works) throws SQLException {
        List<Lean> leans = new ArrayList<>(works.size());
        RowsOf<OperationRow> ops = new RowsOf<>();
        RowsOf<EventRow> events = new RowsOf<>();
        for (Write work : works) {
            Lean lean = work.lean;
            leans.add(lean);
            ops.add(lean.executionId(), lean.operations());
            events.add(lean.executionId(), lean.events());
        }
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("ids", column(leans, l -> l.executionId().toString()))
                .addValue("tokens", column(leans, l -> l.token().toString()))
                .addValue("nows", column(leans, l -> text(l.now())))
                .addValue("leaseUntils", column(leans, l -> text(l.leaseUntil())))
                .addValue("renewBelows", column(leans, l -> text(l.renewBelow())))
                .addValue("wakesNow", column(leans, l -> l.wakesNow() ? "true" : "false"))
                .addValue("opExecutions", ops.executions())
                .addValue("evExecutions", events.executions());
        bindOperations(params, ops.rows);
        bindEvents(params, events.rows);
        Map<UUID, Written> written = LEAN_CHECKPOINTS_STATEMENT.queryAll(connection,
                LEAN_CHECKPOINTS_STATEMENT.values(params));
        List<Written> results = new ArrayList<>(leans.size());
        for (Lean lean : leans) {
            results.add(written.get(lean.executionId()));
        }
        return results;
    }

    private MapSqlParameterSource bind(UUID executionId, UUID token, CheckpointPlan plan, Instant now,
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

    private static void bindOperations(MapSqlParameterSource params, List<OperationRow> ops) {
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

    private static void bindEvents(MapSqlParameterSource params, List<EventRow> events) {
        params
                .addValue("evTypes", column(events, EventRow::type))
                .addValue("evOperationIds", column(events, EventRow::operationId))
                .addValue("evNames", column(events, EventRow::name))
                .addValue("evDetails", column(events, EventRow::details));
    }

    private static <T> Object column(List<T> rows, Function<T, String> value) {
        List<String> values = new ArrayList<>(rows.size());
        for (T row : rows) {
            values.add(value.apply(row));
        }
        return textArrayLiteral(values);
    }

    @FunctionalInterface
    private interface ResultReader<T> {

        T read(ResultSet rs) throws SQLException;
    }

    /** A statement parsed once from its named form into the positional form JDBC runs. */
    private static final class Statement {

        private final ParsedSql parsed;
        private final String sql;

        Statement(String namedSql) {
            this.parsed = NamedParameterUtils.parseSqlStatement(namedSql);
            this.sql = NamedParameterUtils.substituteNamedParameters(parsed, null);
        }

        Object[] values(MapSqlParameterSource params) {
            return NamedParameterUtils.buildValueArray(parsed, params, null);
        }

        Written query(Connection connection, Object[] values) throws SQLException {
            return run(connection, values, rs -> rs.next() ? Written.read(rs) : null);
        }

        /** Runs it and answers what each row of its answer says, by execution id. */
        Map<UUID, Written> queryAll(Connection connection, Object[] values) throws SQLException {
            return run(connection, values, rs -> {
                Map<UUID, Written> written = new HashMap<>();
                while (rs.next()) {
                    written.put(rs.getObject("execution_id", UUID.class), Written.read(rs));
                }
                return written;
            });
        }

        <T> T run(Connection connection, Object[] values, ResultReader<T> reader) throws SQLException {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    Object value = values[i];
                    if (value == null) {
                        ps.setNull(i + 1, Types.NULL);
                    } else if (value instanceof SqlValue array) {
                        array.setValue(ps, i + 1);
                    } else {
                        ps.setObject(i + 1, value);
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return reader.read(rs);
                }
            } finally {
                for (Object value : values) {
                    if (value instanceof SqlValue array) {
                        array.cleanup();
                    }
                }
            }
        }
    }
}
