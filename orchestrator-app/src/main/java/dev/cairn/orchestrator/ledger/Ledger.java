package dev.cairn.orchestrator.ledger;

import dev.cairn.orchestrator.json.PayloadJson;
import dev.cairn.protocol.Cause;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.Transition;
import dev.cairn.protocol.WorkflowRef;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one owner of durable state: every statement that changes {@code executions}, {@code operations},
 * {@code history_events} or {@code timers} is one of the ledger's, each in the statement file of its concern
 * ({@code ExecutionStatements}, {@code ClaimStatements}, {@code TimerStatements}, {@code CallbackStatements},
 * {@code StopStatements}, {@code LeaseStatements}, {@code RetentionStatements}; the checkpoint path's
 * {@code CheckpointStatements} and {@code CompletionStatements}, reached through {@link CheckpointStore}), built
 * once from shared fragments ({@code LeaseSql}, {@code HistorySql}, {@code LockOrder}, {@code ChildCloseSql},
 * {@code OperationUpsertSql}) and from the lifecycle table ({@code LifecycleSql}). Each write is one statement (a
 * stop: one transaction that locks in the lock order, then one statement) that decides and applies a transition
 * under the locks it takes, so that concurrent writers of one execution are serialized by the database and none
 * acts on what it read before. Feature packages call this facade; read models may read the tables directly.
 */
@Component
public class Ledger {

    private final ExecutionStatements executions;
    private final ClaimStatements claims;
    private final TimerStatements timers;
    private final CallbackStatements callbacks;
    private final StopStatements stops;
    private final LeaseStatements leases;
    private final RetentionStatements retention;

    /**
     * @param jdbc the connections every statement runs on
     * @param transactions the transactions of the writes that take more than one statement (a stop, a dispatch
     *     pass) on those connections
     * @param json reads the errors of operation logs
     */
    public Ledger(JdbcClient jdbc, TransactionTemplate transactions, PayloadJson json) {
        this.executions = new ExecutionStatements(jdbc);
        this.claims = new ClaimStatements(jdbc, transactions, new OperationLogs(json));
        this.timers = new TimerStatements(jdbc);
        this.callbacks = new CallbackStatements(jdbc);
        this.stops = new StopStatements(jdbc, transactions);
        this.leases = new LeaseStatements(jdbc);
        this.retention = new RetentionStatements(jdbc);
    }

    // ---- start

    /**
     * Starts an execution, ready for dispatch, with its {@code ExecutionStarted} event and its timeout timer, in one
     * statement.
     *
     * @return false when the workflow already has an execution of that name (nothing was stored)
     */
    public boolean start(NewExecution execution) {
        return executions.start(execution, null).inserted();
    }

    /**
     * Starts an execution like {@link #start(NewExecution)}, claimed at once for the worker of {@code claim} when it
     * has room and no other execution of the workflow version is waiting (see {@link StartClaim}).
     *
     * @param claim the worker to claim it for, or null to leave it ready for the dispatcher
     */
    public Started start(NewExecution execution, StartClaim claim) {
        return executions.start(execution, claim);
    }

    // ---- claim

    /**
     * One dispatch pass: claims, in one statement, up to {@code limit} ready executions for the given workers — for
     * each workflow version those of the worker chosen for it, at most each worker's free capacity in all (counted
     * in the same statement, across replicas) — and records the worker; then reads the operation logs in a second
     * statement of the same transaction, as they are once the claim holds the executions' rows.
     *
     * @param chosen the id of the worker chosen for each workflow version (it must serve exactly that version)
     * @param capacities the capacity of each candidate worker, by id
     */
    public ClaimPass claimFor(Map<WorkflowRef, String> chosen, Map<String, Integer> capacities, Instant now,
            Instant leaseUntil, int limit) {
        return claims.claimFor(chosen, capacities, now, leaseUntil, limit);
    }

    /**
     * Claims up to {@code limit} ready executions of the given workflow versions, oldest ready first, for no worker
     * yet ({@link #assign}). Read their logs with {@link #operationLogs} afterwards (a later statement sees what
     * committed before the claim's locks).
     */
    public List<Claim> claim(Collection<WorkflowRef> servable, Instant now, Instant leaseUntil, int limit) {
        return claims.claim(servable, now, leaseUntil, limit);
    }

    /** Records the worker of each claimed execution (for capacity counts and {@code InvocationCompleted}). */
    public void assign(List<ClaimPass.WorkerClaim> claimed) {
        claims.assign(claimed);
    }

    /** The operation logs of the executions, each in start order. */
    public Map<UUID, List<OperationRecord>> operationLogs(Collection<UUID> executionIds) {
        return claims.operations(executionIds);
    }

    /**
     * Gives a claim up without an invocation having run: the execution is ready again at {@code readyAt}.
     *
     * @return false when the claim was no longer current
     */
    public boolean release(UUID executionId, UUID token, Instant readyAt) {
        return claims.release(executionId, token, readyAt);
    }

    // ---- timers

    /** Fires up to {@code limit} timers due at {@code now}, each exactly once across replicas. */
    public FiredTimers fireTimers(Instant now, int limit) {
        return timers.fireDue(now, limit);
    }

    /** When the earliest timer is due, empty when there is none. */
    public Optional<Instant> nextTimerDue() {
        return timers.nextDueAt();
    }

    // ---- callbacks

    /**
     * A STARTED callback of a RUNNING execution SUCCEEDED with {@code result} (JSON text, null for none):
     * {@code CallbackSucceeded}, its timers gone, the execution ready.
     *
     * @return empty when no callback has this id
     */
    public Optional<CallbackOutcome> succeedCallback(String callbackId, String result, Instant now) {
        Transition t = LifecycleSql.on(OperationType.CALLBACK, Cause.CALLBACK_SUCCEEDED);
        return callbacks.complete(callbackId, t.next().name(), result, null, t.outcomeEvent(), null, now);
    }

    /**
     * A STARTED callback of a RUNNING execution FAILED with {@code error} (stored error JSON):
     * {@code CallbackFailed} with {@code details}, its timers gone, the execution ready.
     *
     * @return empty when no callback has this id
     */
    public Optional<CallbackOutcome> failCallback(String callbackId, String error, String details, Instant now) {
        Transition t = LifecycleSql.on(OperationType.CALLBACK, Cause.CALLBACK_FAILED);
        return callbacks.complete(callbackId, t.next().name(), null, error, t.outcomeEvent(), details, now);
    }

    /**
     * Moves the heartbeat timer of a STARTED callback of a RUNNING execution to now + its heartbeat timeout, unless
     * a poller is firing one of its timers (then nothing moves and {@link CallbackOutcome#timerFiring()} says so).
     *
     * @param soon tell the other replicas' timer pollers when the moved timer is due before this
     * @return empty when no callback has this id
     */
    public Optional<CallbackOutcome> heartbeatCallback(String callbackId, Instant now, Duration soon) {
        return callbacks.heartbeat(callbackId, now, soon);
    }

    // ---- stop

    /**
     * Stops a RUNNING execution and its running chained descendants.
     *
     * @param error the stored error JSON to record on the execution, or null
     * @return empty when there is no such execution; else its status before the stop (only RUNNING ones are
     *     stopped) and what was stopped
     */
    public Optional<StopResult> stop(UUID executionId, String error, Instant now) {
        return stops.stop(executionId, error, now);
    }

    // ---- leases

    /**
     * Records a worker's heartbeat, when its secret owns the id, and extends the leases it lists whose token is
     * still current (rows another transaction holds are skipped).
     */
    public WorkerHeartbeat.Recorded heartbeat(WorkerHeartbeat heartbeat) {
        return leases.heartbeat(heartbeat);
    }

    /**
     * Ends up to {@code limit} expired leases: the executions are ready again, {@code InvocationCompleted
     * {outcome: LOST}} is recorded.
     *
     * @return the workflow of each execution whose invocation was lost
     */
    public List<String> reapLeases(Instant now, int limit) {
        return leases.reap(now, limit);
    }

    // ---- retention

    /**
     * Deletes up to {@code limit} closed executions whose retention ran out at {@code now}, with all they own.
     *
     * @return how many were deleted
     */
    public int deleteExpired(Instant now, int limit) {
        return retention.deleteExpired(now, limit);
    }
}
