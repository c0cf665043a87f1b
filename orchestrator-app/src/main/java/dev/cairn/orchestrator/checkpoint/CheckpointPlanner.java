package dev.cairn.orchestrator.checkpoint;

import dev.cairn.api.ErrorInfo;
import dev.cairn.orchestrator.api.InvalidRequestException;
import dev.cairn.orchestrator.json.PayloadJson;
import dev.cairn.orchestrator.json.RawJson;
import dev.cairn.orchestrator.ledger.CheckpointPlan;
import dev.cairn.orchestrator.ledger.ChildStart;
import dev.cairn.orchestrator.ledger.EventRow;
import dev.cairn.orchestrator.ledger.OperationRow;
import dev.cairn.orchestrator.ledger.TimerRow;
import dev.cairn.orchestrator.worker.ResolvedVersion;
import dev.cairn.protocol.Cause;
import dev.cairn.protocol.Lifecycle;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationOptions;
import dev.cairn.protocol.OperationSubType;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.OperationUpdate;
import dev.cairn.protocol.TimerEffect;
import dev.cairn.protocol.TimerKind;
import dev.cairn.protocol.Transition;
import dev.cairn.protocol.Wake;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Works out what one request's updates write ({@link CheckpointPlan}) before the ledger touches the database: one
 * row per operation (updates to the same operation folded in order, so that one {@code INSERT … ON CONFLICT DO
 * UPDATE} can write them all), the history events in order, the net timer changes, the contexts cancelled and the
 * chained child executions to start; and refuses updates the protocol does not define. Follows the tables in the
 * worker protocol's README.
 */
public final class CheckpointPlanner {

    /** The ErrorInfo type of a CHAINED_INVOKE whose workflow (or version) was never registered. */
    public static final String WORKFLOW_NOT_FOUND = "dev.cairn.orchestrator.execution.WorkflowNotFoundException";


    private CheckpointPlanner() {
    }

    /**
     * Plans updates that hold no CHAINED_INVOKE start.
     *
     * @throws InvalidRequestException when an update is not one the protocol defines
     */
    public static CheckpointPlan of(List<OperationUpdate> updates, Instant now, PayloadJson json) {
        return of(updates, now, json, null, InvokeTargets.NONE);
    }

    /**
     * Plans the updates of one request of execution {@code executionId}.
     *
     * @throws InvalidRequestException when an update is not one the protocol defines
     */
    public static CheckpointPlan of(List<OperationUpdate> updates, Instant now, PayloadJson json, UUID executionId,
            InvokeTargets targets) {
        UpdateValidation.validate(updates);
        Map<String, OperationRow> rows = new LinkedHashMap<>();
        List<EventRow> events = new ArrayList<>();
        Map<String, TimerRow> timers = new LinkedHashMap<>();
        Map<String, OperationAction> lastAction = new HashMap<>();
        List<String> cancelled = new ArrayList<>();
        List<ChildStart> children = new ArrayList<>();
        boolean wakesNow = false;
        for (OperationUpdate u : updates) {
            OperationType type = u.type();
            boolean step = type == OperationType.STEP;
            boolean condition = step && OperationSubType.WAIT_FOR_CONDITION.is(u.subType());
            boolean startedInRequest = lastAction.get(u.id()) == OperationAction.START;
            Integer attempt = step ? (u.attempt() == null ? 1 : u.attempt()) : null;
            String error = json.error(u.error());
            Transition t = Lifecycle.of(u);
            OperationRow planned = rows.get(u.id());
            if (planned != null && !planned.movesTo(t.next(), attempt)) {
                continue; // an earlier update of this request overtook it: it changes nothing, as a repeat would
            }
            String status = t.next().name();
            OperationRow row;
            String outcome;
            switch (u.action()) {
                case START -> {
                    OperationOptions o = u.options();
                    switch (type) {
                        case CALLBACK -> {
                            row = new OperationRow(u.id(), u.parentId(), type.name(), u.subType(), u.name(), status,
                                    null, null, null, null, null, null, o.callbackId(), o.heartbeatTimeout(), null);
                            outcome = json.object("callbackId", o.callbackId(), "timeout", text(o.timeout()),
                                    "heartbeatTimeout", text(o.heartbeatTimeout()));
                        }
                        case CHAINED_INVOKE -> {
                            ResolvedVersion resolved = targets.resolve(o.workflow(), o.version());
                            if (resolved.found()) {
                                String child = childId(executionId, u.id()).toString();
                                row = new OperationRow(u.id(), u.parentId(), type.name(), u.subType(), u.name(),
                                        status, null, null, null, null, null, null, null, null, child);
                                outcome = json.object("childExecutionId", child, "workflow", o.workflow(),
                                        "version", resolved.version());
                                children.add(new ChildStart(UUID.fromString(child), o.workflow(), resolved.version(),
                                        u.payload(), o.timeout() == null ? null : now.plus(o.timeout()), u.id()));
                            } else {
                                t = Lifecycle.of(type, u.subType(), Cause.INVOKE_TARGET_UNKNOWN);
                                String failure = json.error(new ErrorInfo(WORKFLOW_NOT_FOUND, "cannot invoke: "
                                        + resolved.failure(), null));
                                row = new OperationRow(u.id(), u.parentId(), type.name(), u.subType(), u.name(),
                                        t.next().name(), null, now, null, failure, null, null);
                                List<String> started = t.events();
                                events.add(new EventRow(started.get(0), u.id(), u.name(), json.object(
                                        "workflow", o.workflow(), "version", o.version())));
                                outcome = json.object("error", new RawJson(failure));
                                events.add(new EventRow(t.outcomeEvent(), u.id(), u.name(), outcome));
                                wakesNow |= t.wake() == Wake.EXECUTION;
                                rows.merge(u.id(), row, OperationRow::then);
                                lastAction.put(u.id(), u.action());
                                continue;
                            }
                        }
                        default -> {
                            boolean wait = type == OperationType.WAIT;
                            row = row(u, status, attempt, null, null, null, wait ? u.scheduledEndAt() : null, null);
                            outcome = step ? json.object("attempt", attempt)
                                    : wait ? json.object("scheduledEndAt", u.scheduledEndAt()) : null;
                        }
                    }
                }
                case SUCCEED -> {
                    row = row(u, status, attempt, now, u.payload(), null, null, null);
                    outcome = !step ? null : condition
                            ? json.object("attempt", attempt, "state", json.embed(u.payload()))
                            : json.object("attempt", attempt);
                }
                case FAIL -> {
                    row = row(u, status, attempt, now, null, error, null, null);
                    outcome = json.object("attempt", attempt, "error", raw(error), "state",
                            condition ? json.embed(u.payload()) : null);
                }
                case RETRY -> {
                    row = row(u, status, attempt, null, null, error, null, u.nextAttemptAt());
                    outcome = json.object("attempt", attempt, "error", raw(error), "nextAttemptAt", u.nextAttemptAt());
                }
                case CONTINUE -> {
                    row = row(u, status, attempt, null, u.payload(), null, null, u.nextAttemptAt());
                    outcome = json.object("attempt", attempt, "state", json.embed(u.payload()), "nextAttemptAt",
                            u.nextAttemptAt());
                }
                case CANCEL -> {
                    row = row(u, status, null, now, null, null, null, null);
                    String prefix = u.id() + "-";
                    rows.replaceAll((id, r) -> id.startsWith(prefix) && r.open() ? r.cancelled(now) : r);
                    cancelled.add(u.id());
                    outcome = null;
                }
                default -> throw new IllegalStateException("unknown action " + u.action());
            }
            // the events the table names: a condition poll's implied StepStarted {attempt}, then the outcome
            List<String> recorded = t.events(startedInRequest);
            for (int i = 0; i < recorded.size(); i++) {
                boolean impliedStart = t.impliedStart() && i == 0 && recorded.size() > 1;
                events.add(new EventRow(recorded.get(i), u.id(), u.name(),
                        impliedStart ? json.object("attempt", attempt) : outcome));
            }
            applyTimers(t.timers(), u, now, timers);
            rows.merge(u.id(), row, OperationRow::then);
            lastAction.put(u.id(), u.action());
        }
        List<TimerRow> upserts = new ArrayList<>();
        List<String> deletes = new ArrayList<>();
        timers.forEach((id, timer) -> {
            if (timer == null) {
                deletes.add(id);
            } else {
                upserts.add(timer);
            }
        });
        return new CheckpointPlan(new ArrayList<>(rows.values()), events, upserts, deletes, cancelled, children,
                wakesNow);
    }

    /** What the transition does to timers, as net changes keyed by timer id (null: delete it). */
    private static void applyTimers(TimerEffect effect, OperationUpdate u, Instant now, Map<String, TimerRow> timers) {
        String id = u.id();
        switch (effect) {
            case ARM_WAIT -> timers.put(TimerKind.WAIT.timerId(id),
                    new TimerRow(TimerKind.WAIT.timerId(id), TimerKind.WAIT.name(), u.scheduledEndAt(), id));
            case ARM_RETRY -> timers.put(TimerKind.RETRY.timerId(id),
                    new TimerRow(TimerKind.RETRY.timerId(id), TimerKind.RETRY.name(), u.nextAttemptAt(), id));
            case ARM_CALLBACK -> {
                arm(timers, TimerKind.CALLBACK_TIMEOUT, id, u.options().timeout(), now);
                arm(timers, TimerKind.CALLBACK_HEARTBEAT, id, u.options().heartbeatTimeout(), now);
            }
            case REMOVE_OWN -> Lifecycle.timerKinds(u.type()).forEach(kind -> timers.put(kind.timerId(id), null));
            case REMOVE_SUBTREE -> {
                String prefix = id + "-";
                timers.replaceAll((timerId, t) -> t != null && (t.operationId().equals(id)
                        || t.operationId().startsWith(prefix)) ? null : t);
            }
            case NONE -> {
            }
            default -> throw new IllegalStateException(effect + " is not an operation's timer effect");
        }
    }

    /** Arms a callback timer of {@code kind} at now + {@code after}, when {@code after} is set. */
    private static void arm(Map<String, TimerRow> timers, TimerKind kind, String operationId, Duration after,
            Instant now) {
        if (after != null) {
            String timerId = kind.timerId(operationId);
            timers.put(timerId, new TimerRow(timerId, kind.name(), now.plus(after), operationId));
        }
    }

    /**
     * The id of the child execution of a CHAINED_INVOKE: a name-based UUID of the parent execution id and the
     * operation id, so that a replayed START names the same child.
     */
    public static UUID childId(UUID parentExecutionId, String operationId) {
        return UUID.nameUUIDFromBytes(("cairn-chained-invoke:" + parentExecutionId + ":" + operationId)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static OperationRow row(OperationUpdate u, String status, Integer attempt, Instant endedAt, String result,
            String error, Instant scheduledEndAt, Instant nextAttemptAt) {
        return new OperationRow(u.id(), u.parentId(), u.type().name(), u.subType(), u.name(), status, attempt,
                endedAt, result, error, scheduledEndAt, nextAttemptAt, null, null, null, u.startedAt());
    }

    private static RawJson raw(String json) {
        return json == null ? null : new RawJson(json);
    }

    private static String text(Duration d) {
        return d == null ? null : d.toString();
    }
}
