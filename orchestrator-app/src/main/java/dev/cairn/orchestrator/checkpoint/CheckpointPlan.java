package dev.cairn.orchestrator.checkpoint;

import dev.cairn.orchestrator.api.FieldError;
import dev.cairn.orchestrator.api.InvalidRequestException;
import dev.cairn.orchestrator.json.PayloadJson;
import dev.cairn.orchestrator.json.RawJson;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.OperationUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one request's updates write, worked out before touching the database: one row per operation (updates to
 * the same operation folded in order, so that one {@code INSERT … ON CONFLICT DO UPDATE} can write them all), the
 * history events in order, and the net timer changes. Follows the table in the worker protocol's README.
 */
public record CheckpointPlan(
        List<OperationRow> operations,
        List<EventRow> events,
        List<TimerRow> timerUpserts,
        List<String> timerDeletes) {

    public CheckpointPlan {
        operations = List.copyOf(operations);
        events = List.copyOf(events);
        timerUpserts = List.copyOf(timerUpserts);
        timerDeletes = List.copyOf(timerDeletes);
    }

    /**
     * Plans the updates.
     *
     * @throws InvalidRequestException when an update is not one the protocol defines
     */
    public static CheckpointPlan of(List<OperationUpdate> updates, Instant now, PayloadJson json) {
        validate(updates);
        Map<String, OperationRow> rows = new LinkedHashMap<>();
        List<EventRow> events = new ArrayList<>();
        Map<String, TimerRow> timers = new LinkedHashMap<>();
        for (OperationUpdate u : updates) {
            OperationType type = u.type();
            boolean step = type == OperationType.STEP;
            Integer attempt = step ? (u.attempt() == null ? 1 : u.attempt()) : null;
            String error = json.error(u.error());
            OperationRow row;
            EventRow event;
            switch (u.action()) {
                case START -> {
                    row = row(u, "STARTED", attempt, null, null, null, type == OperationType.WAIT ? u.scheduledEndAt() : null, null);
                    String details = step ? json.object("attempt", attempt)
                            : type == OperationType.WAIT ? json.object("scheduledEndAt", u.scheduledEndAt()) : null;
                    event = new EventRow(type.event("Started"), u.id(), u.name(), details);
                    if (type == OperationType.WAIT) {
                        timers.put(u.id(), new TimerRow(u.id(), "WAIT", u.scheduledEndAt()));
                    }
                }
                case SUCCEED -> {
                    row = row(u, "SUCCEEDED", attempt, now, u.payload(), null, null, null);
                    event = new EventRow(type.event("Succeeded"), u.id(), u.name(),
                            step ? json.object("attempt", attempt) : null);
                    if (type == OperationType.WAIT) {
                        timers.put(u.id(), null);
                    }
                }
                case FAIL -> {
                    row = row(u, "FAILED", attempt, now, null, error, null, null);
                    event = new EventRow(type.event("Failed"), u.id(), u.name(),
                            json.object("attempt", attempt, "error", raw(error)));
                    if (type == OperationType.WAIT) {
                        timers.put(u.id(), null);
                    }
                }
                case RETRY -> {
                    row = row(u, "PENDING", attempt, null, null, error, null, u.nextAttemptAt());
                    event = new EventRow(type.event("Failed"), u.id(), u.name(), json.object("attempt", attempt,
                            "error", raw(error), "nextAttemptAt", u.nextAttemptAt()));
                    timers.put(u.id(), new TimerRow(u.id(), "RETRY", u.nextAttemptAt()));
                }
                default -> throw new IllegalStateException("unknown action " + u.action());
            }
            rows.merge(u.id(), row, OperationRow::then);
            events.add(event);
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
        return new CheckpointPlan(new ArrayList<>(rows.values()), events, upserts, deletes);
    }

    /** The earliest timer this plan creates, or null. */
    public Instant earliestTimer() {
        return timerUpserts.stream().map(TimerRow::dueAt).min(Instant::compareTo).orElse(null);
    }

    private static OperationRow row(OperationUpdate u, String status, Integer attempt, Instant endedAt, String result,
            String error, Instant scheduledEndAt, Instant nextAttemptAt) {
        return new OperationRow(u.id(), u.parentId(), u.type().name(), u.subType(), u.name(), status, attempt,
                endedAt, result, error, scheduledEndAt, nextAttemptAt);
    }

    private static RawJson raw(String json) {
        return json == null ? null : new RawJson(json);
    }

    private static void validate(List<OperationUpdate> updates) {
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) {
            OperationUpdate u = updates.get(i);
            String at = "updates[" + i + "]";
            if (u == null) {
                errors.add(new FieldError(at, "must not be null"));
                continue;
            }
            if (u.id().isBlank() || u.id().length() > 500) {
                errors.add(new FieldError(at + ".id", "must be 1 to 500 characters"));
            }
            if (u.type() == OperationType.EXECUTION) {
                errors.add(new FieldError(at + ".type", "EXECUTION is recorded through /v1/invocations/complete"));
            }
            if (u.action() == OperationAction.RETRY) {
                if (u.type() != OperationType.STEP) {
                    errors.add(new FieldError(at + ".action", "RETRY applies to STEP operations only"));
                }
                if (u.nextAttemptAt() == null) {
                    errors.add(new FieldError(at + ".nextAttemptAt", "is required for RETRY"));
                }
            }
            if (u.action() == OperationAction.START && u.type() == OperationType.WAIT && u.scheduledEndAt() == null) {
                errors.add(new FieldError(at + ".scheduledEndAt", "is required to START a WAIT"));
            }
            if (u.attempt() != null && u.attempt() < 1) {
                errors.add(new FieldError(at + ".attempt", "must be at least 1"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }
}
