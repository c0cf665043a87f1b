package dev.cairn.orchestrator.checkpoint;

import dev.cairn.orchestrator.api.FieldError;
import dev.cairn.orchestrator.api.InvalidRequestException;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationOptions;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.OperationUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Refuses the updates the protocol does not define, naming each field ({@code updates[i].…}), before any planning. */
final class UpdateValidation {

    private static final int MAX_CALLBACK_ID = 256;
    /** The actions that may say when a step's body began ({@code startedAt}). */
    private static final Set<OperationAction> RESULTS =
            EnumSet.of(OperationAction.SUCCEED, OperationAction.FAIL, OperationAction.RETRY);

    private UpdateValidation() {
    }

    /**
     * @throws InvalidRequestException when an update is not one the protocol defines
     */
    static void validate(List<OperationUpdate> updates) {
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
            switch (u.action()) {
                case RETRY, CONTINUE -> {
                    if (u.type() != OperationType.STEP) {
                        errors.add(new FieldError(at + ".action", u.action() + " applies to STEP operations only"));
                    }
                    if (u.nextAttemptAt() == null) {
                        errors.add(new FieldError(at + ".nextAttemptAt", "is required for " + u.action()));
                    }
                }
                case CANCEL -> {
                    if (u.type() != OperationType.CONTEXT) {
                        errors.add(new FieldError(at + ".action", "CANCEL applies to CONTEXT operations only"));
                    }
                }
                case START -> validateStart(u, at, errors);
                default -> {
                }
            }
            if (u.startedAt() != null && (u.type() != OperationType.STEP || !RESULTS.contains(u.action()))) {
                errors.add(new FieldError(at + ".startedAt", "applies to a STEP's SUCCEED, FAIL or RETRY only"));
            }
            if (u.attempt() != null && u.attempt() < 1) {
                errors.add(new FieldError(at + ".attempt", "must be at least 1"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    private static void validateStart(OperationUpdate u, String at, List<FieldError> errors) {
        OperationOptions o = u.options();
        switch (u.type()) {
            case WAIT -> {
                if (u.scheduledEndAt() == null) {
                    errors.add(new FieldError(at + ".scheduledEndAt", "is required to START a WAIT"));
                }
            }
            case CALLBACK -> {
                if (o == null || o.callbackId() == null || o.callbackId().isBlank()
                        || o.callbackId().length() > MAX_CALLBACK_ID) {
                    errors.add(new FieldError(at + ".options.callbackId", "is required to START a CALLBACK (1 to "
                            + MAX_CALLBACK_ID + " characters)"));
                    return;
                }
                positive(o.timeout(), at + ".options.timeout", errors);
                positive(o.heartbeatTimeout(), at + ".options.heartbeatTimeout", errors);
            }
            case CHAINED_INVOKE -> {
                if (o == null || o.workflow() == null || o.workflow().isBlank()) {
                    errors.add(new FieldError(at + ".options.workflow", "is required to START a CHAINED_INVOKE"));
                    return;
                }
                positive(o.timeout(), at + ".options.timeout", errors);
            }
            default -> {
            }
        }
    }

    private static void positive(Duration d, String field, List<FieldError> errors) {
        if (d != null && (d.isZero() || d.isNegative())) {
            errors.add(new FieldError(field, "must be positive"));
        }
    }
}
