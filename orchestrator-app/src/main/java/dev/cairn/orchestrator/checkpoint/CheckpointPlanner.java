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
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationOptions;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.OperationUpdate;
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

    static final String WAIT_FOR_CONDITION = "WaitForCondition";

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
            boolean condition = step && WAIT_FOR_CONDITION.equals(u.subType());
            // a condition poll records StepStarted with its outcome, unless this request started it already
            boolean pollStarted = condition && lastAction.get(u.id()) != OperationAction.START;
            Integer attempt = step ? (u.attempt() == null ? 1 : u.attempt()) : null;
            String error = json.error(u.error());
            OperationRow row;
            switch (u.action()) {
                case START -> {
                    switch (type) {
                        case CALLBACK -> {
                            OperationOptions o = u.options();
                            row = new OperationRow(u.id(), u.parentId(), type.name(), u.subType(), u.name(),
                                    "STARTED", null, null, null, null, null, null, o.callbackId(),
                                    o.heartbeatTimeout(), null);
                            events.add(new EventRow("CallbackStarted", u.id(), u.name(), json.object(
                                    "callbackId", o.callbackId(), "timeout", text(o.timeout()),
                                    "heartbeatTimeout", text(o.heartbeatTimeout()))));
                            if (o.timeout() != null) {
                                timers.put(callbackTimer(u.id(), "timeout"), new TimerRow(callbackTimer(u.id(),
                                        "timeout"), "CALLBACK_TIMEOUT", now.plus(o.timeout()), u.id()));
                            }
                            if (o.heartbeatTimeout() != null) {
                                timers.put(callbackTimer(u.id(), "heartbeat"), new TimerRow(callbackTimer(u.id(),
                                        "heartbeat"), "CALLBACK_HEARTBEAT", now.plus(o.heartbeatTimeout()), u.id()));
                            }
                        }
                        case CHAINED_INVOKE -> {
                            OperationOptions o = u.options();
                            ResolvedVersion resolved = targets.resolve(o.workflow(), o.version());
                            if (resolved.found()) {
                                UUID child = childId(executionId, u.id());
                                row = new OperationRow(u.id(), u.parentId(), type.name(), u.subType(), u.name(),
                                        "STARTED", null, null, null, null, null, null, null, null, child.toString());
                                events.add(new EventRow("ChainedInvokeStarted", u.id(), u.name(), json.object(
                                        "childExecutionId", child.toString(), "workflow", o.workflow(),
                                        "version", resolved.version())));
                                children.add(new ChildStart(child, o.workflow(), resolved.version(), u.payload(),
                                        o.timeout() == null ? null : now.plus(o.timeout()), u.id()));
                            } else {
                                String failure = json.error(new ErrorInfo(WORKFLOW_NOT_FOUND, "cannot invoke: "
                                        + resolved.failure(), null));
                                row = new OperationRow(u.id(), u.parentId(), type.name(), u.subType(), u.name(),
                                        "FAILED", null, now, null, failure, null, null);
                                events.add(new EventRow("ChainedInvokeStarted", u.id(), u.name(), json.object(
                                        "workflow", o.workflow(), "version", o.version())));
                                events.add(new EventRow("ChainedInvokeFailed", u.id(), u.name(),
                                        json.object("error", new RawJson(failure))));
                                wakesNow = true;
                            }
                        }
                        default -> {
                            boolean wait = type == OperationType.WAIT;
                            row = row(u, "STARTED", attempt, null, null, null, wait ? u.scheduledEndAt() : null,
                                    null);
                            String details = step ? json.object("attempt", attempt)
                                    : wait ? json.object("scheduledEndAt", u.scheduledEndAt()) : null;
                            events.add(new EventRow(type.event("Started"), u.id(), u.name(), details));
                            if (wait) {
                                timers.put(u.id(), new TimerRow(u.id(), "WAIT", u.scheduledEndAt(), u.id()));
                            }
                        }
                    }
                }
                case SUCCEED -> {
                    row = row(u, "SUCCEEDED", attempt, now, u.payload(), null, null, null);
                    if (pollStarted) {
                        events.add(new EventRow("StepStarted", u.id(), u.name(), json.object("attempt", attempt)));
                    }
                    events.add(new EventRow(type.event("Succeeded"), u.id(), u.name(), !step ? null
                            : condition ? json.object("attempt", attempt, "state", json.embed(u.payload()))
                            : json.object("attempt", attempt)));
                    if (type == OperationType.WAIT) {
                        timers.put(u.id(), null);
                    }
                }
                case FAIL -> {
                    row = row(u, "FAILED", attempt, now, null, error, null, null);
                    if (pollStarted) {
                        events.add(new EventRow("StepStarted", u.id(), u.name(), json.object("attempt", attempt)));
                    }
                    events.add(new EventRow(type.event("Failed"), u.id(), u.name(), json.object("attempt", attempt,
                            "error", raw(error), "state", condition ? json.embed(u.payload()) : null)));
                    if (type == OperationType.WAIT) {
                        timers.put(u.id(), null);
                    }
                }
                case RETRY -> {
                    row = row(u, "PENDING", attempt, null, null, error, null, u.nextAttemptAt());
                    if (pollStarted) {
                        events.add(new EventRow("StepStarted", u.id(), u.name(), json.object("attempt", attempt)));
                    }
                    events.add(new EventRow(type.event("Failed"), u.id(), u.name(), json.object("attempt", attempt,
                            "error", raw(error), "nextAttemptAt", u.nextAttemptAt())));
                    timers.put(u.id(), new TimerRow(u.id(), "RETRY", u.nextAttemptAt(), u.id()));
                }
                case CONTINUE -> {
                    row = row(u, "PENDING", attempt, null, u.payload(), null, null, u.nextAttemptAt());
                    if (lastAction.get(u.id()) != OperationAction.START) {
                        events.add(new EventRow("StepStarted", u.id(), u.name(), json.object("attempt", attempt)));
                    }
                    events.add(new EventRow("StepSucceeded", u.id(), u.name(), json.object("attempt", attempt,
                            "state", json.embed(u.payload()), "nextAttemptAt", u.nextAttemptAt())));
                    timers.put(u.id(), new TimerRow(u.id(), "RETRY", u.nextAttemptAt(), u.id()));
                }
                case CANCEL -> {
                    row = row(u, "CANCELLED", null, now, null, null, null, null);
                    String prefix = u.id() + "-";
                    rows.replaceAll((id, r) -> id.startsWith(prefix) && r.open() ? r.cancelled(now) : r);
                    timers.replaceAll((id, t) -> t != null && (t.operationId().equals(u.id())
                            || t.operationId().startsWith(prefix)) ? null : t);
                    cancelled.add(u.id());
                }
                default -> throw new IllegalStateException("unknown action " + u.action());
            }
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

    /**
     * The id of the child execution of a CHAINED_INVOKE: a name-based UUID of the parent execution id and the
     * operation id, so that a replayed START names the same child.
     */
    public static UUID childId(UUID parentExecutionId, String operationId) {
        return UUID.nameUUIDFromBytes(("cairn-chained-invoke:" + parentExecutionId + ":" + operationId)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The id of a callback's timer of the given kind ({@code timeout} or {@code heartbeat}). */
    public static String callbackTimer(String operationId, String kind) {
        return operationId + "#" + kind;
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
