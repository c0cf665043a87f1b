package dev.cairn.orchestrator.ledger;

import static dev.cairn.orchestrator.sql.SqlTypes.at;
import static dev.cairn.orchestrator.sql.SqlTypes.text;

import dev.cairn.orchestrator.commit.Combinable;
import dev.cairn.orchestrator.commit.GroupCommit;
import dev.cairn.orchestrator.commit.Outcome;
import dev.cairn.orchestrator.commit.Work;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.support.SQLExceptionTranslator;
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
 * transaction: plain checkpoints of distinct executions in ONE statement, lean completions of distinct executions in
 * another ({@link CombinedWrites}), the others one statement each. Each checkpoint is fenced on its own: a stale
 * token writes nothing and answers null, whatever the other requests of its batch do. The SQL
 * ({@link CheckpointStatements}, {@link CompletionStatements}) is parsed once into a positional statement.
 *
 * <p>This is the ledger's entry for the checkpoint path (the checkpoint package plans the rows, this writes them);
 * every other write goes through {@link Ledger}.
 */
@Repository
public class CheckpointStore {

    private static final PositionalStatement CHECKPOINT_STATEMENT =
            new PositionalStatement(CheckpointStatements.CHECKPOINT);
    private static final PositionalStatement COMPLETE_STATEMENT =
            new PositionalStatement(CompletionStatements.COMPLETE);
    private static final PositionalStatement LEAN_CHECKPOINT_STATEMENT =
            new PositionalStatement(CheckpointStatements.LEAN_CHECKPOINT);

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

    public CheckpointStore(DataSource dataSource, SQLExceptionTranslator translator, int writers, int maxBatch) {
        this(dataSource, translator, writers, maxBatch, GroupCommit.DEFAULT_WRITER_WAIT);
    }

    public CheckpointStore(DataSource dataSource, SQLExceptionTranslator translator, int writers, int maxBatch,
            Duration writerWait) {
        this.group = new GroupCommit(dataSource, translator, writers, maxBatch, writerWait);
        this.completed = new CompletedInvocations(dataSource);
    }

    public GroupCommit groupCommit() {
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
    public Optional<String> repeatedCompletion(UUID executionId, UUID token, Completion completion) {
        return completed.workflowIfLastCompleted(executionId, token, completion);
    }

    /** Writes one checkpoint or completion (made by {@link #checkpointWrite}/{@link #completionWrite}). */
    public Written write(Write write) {
        return group.submit(write);
    }

    /**
     * Writes several checkpoints and completions (made by {@link #checkpointWrite}/{@link #completionWrite})
     * through the group commit, in as few transactions as it allows, and answers each one's own outcome in order: a
     * null result when fenced, or the exception of its own statement. Never throws for one of them.
     */
    public List<Outcome<Written>> writeAll(List<Write> writes) {
        return group.submitAll(writes);
    }

    /** A checkpoint's statement, bound and ready to be written (see {@link #checkpoint}). */
    public Write checkpointWrite(UUID executionId, UUID token, CheckpointPlan plan, Instant now, Instant leaseUntil) {
        Instant renewBelow = now.plus(Duration.between(now, leaseUntil).dividedBy(2));
        MapSqlParameterSource params = CheckpointParams.bind(executionId, token, plan, now, plan.events(), false)
                .addValue("leaseUntil", at(leaseUntil))
                .addValue("renewBelow", at(renewBelow));
        boolean lean = plan.cancelled().isEmpty() && plan.timerUpserts().isEmpty()
                && plan.timerDeletes().isEmpty() && plan.children().isEmpty();
        if (!lean) {
            return new Write(executionId, CHECKPOINT_STATEMENT, params, null, null);
        }
        return new Write(executionId, LEAN_CHECKPOINT_STATEMENT, params, new CombinedWrites.Lean(executionId, token, now, leaseUntil,
                renewBelow, plan.wakesNow(), plan.operations(), plan.events()), null);
    }

    /** A completion's statement, bound and ready to be written (see {@link #complete}). */
    public Write completionWrite(UUID executionId, UUID token, CheckpointPlan plan, Completion completion, Instant now) {
        List<EventRow> events = new ArrayList<>(plan.events());
        events.add(new EventRow(LifecycleSql.INVOCATION_COMPLETED_EVENT, null, null, null));
        if (completion.closingEvent() != null) {
            events.add(completion.closingEvent());
        }
        MapSqlParameterSource params = CheckpointParams.bind(executionId, token, plan, now, events, completion.closes())
                .addValue("status", completion.status())
                .addValue("result", completion.result())
                .addValue("error", completion.error())
                .addValue("endedAt", completion.closes() ? text(now) : null)
                .addValue("workerStartedAt", text(completion.workerStartedAt()))
                .addValue("workerEndedAt", text(completion.workerEndedAt() != null ? completion.workerEndedAt() : now))
                .addValue("outcome", completion.outcome().name());
        boolean lean = plan.cancelled().isEmpty() && plan.timerDeletes().isEmpty() && plan.children().isEmpty();
        return new Write(executionId, COMPLETE_STATEMENT, params, null, !lean ? null
                : new CombinedWrites.LeanCompletion(executionId, token, now, completion.status(), completion.result(),
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
    public static final class Write implements Work<Written> {

        private final UUID executionId;
        private final PositionalStatement statement;
        private final MapSqlParameterSource params;
        /** At most one of the two is set: what it writes when written with others of its kind. */
        final CombinedWrites.Lean lean;
        final CombinedWrites.LeanCompletion leanCompletion;
        private final Combinable<Write, Written> combinable;
        /** Bound on the request's thread, unless the write is lean: those are mostly written combined. */
        private Object[] values;

        private Write(UUID executionId, PositionalStatement statement, MapSqlParameterSource params,
                CombinedWrites.Lean lean, CombinedWrites.LeanCompletion leanCompletion) {
            this.executionId = executionId;
            this.statement = statement;
            this.params = params;
            this.lean = lean;
            this.leanCompletion = leanCompletion;
            this.combinable = lean != null ? new Combinable<>(CombinedWrites.LEAN_CHECKPOINTS_KIND, executionId, this)
                    : leanCompletion != null ? new Combinable<>(CombinedWrites.LEAN_COMPLETIONS_KIND, executionId, this) : null;
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
}
