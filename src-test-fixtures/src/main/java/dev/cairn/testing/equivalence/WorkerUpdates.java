package dev.cairn.testing.equivalence;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationOptions;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.OperationUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The updates of one checkpoint or completion, as a worker replaying the recorded operations would send them: new
 * operations at the top level or inside an open context (steps with or without their outcome in the same request,
 * waits, callbacks, contexts, condition polls, chained invokes), the next move of an open operation (a step's
 * outcome or next attempt, a context's end or cancel, the next poll), and now and then an update that something
 * has overtaken (a late or repeated one) or one inside a context nobody started.
 */
final class WorkerUpdates {

    private static final String[] PAYLOADS = {"1", "\"ok\"", "{\"n\":2}", "[1,2]", "null"};
    private static final Duration[] DELAYS = {Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofHours(1)};
    private static final ErrorInfo STEP_ERROR = new ErrorInfo("java.io.IOException", "down", null);

    /** What the planner knows of an operation: recorded, or moved by an earlier update of this request. */
    private static final class Known {
        final String id;
        final String parentId;
        final OperationType type;
        final String subType;
        final String name;
        OperationStatus status;
        int attempt;
        Instant scheduledEndAt;
        String callbackId;

        Known(String id, String parentId, OperationType type, String subType, String name, OperationStatus status,
                Integer attempt) {
            this.id = id;
            this.parentId = parentId;
            this.type = type;
            this.subType = subType;
            this.name = name;
            this.status = status;
            this.attempt = attempt == null ? 0 : attempt;
        }

        boolean condition() {
            return "WaitForCondition".equals(subType);
        }
    }

    private final Random random;
    private final Instant now;
    private final Supplier<String> callbackIds;
    private final Map<String, Known> known = new LinkedHashMap<>();
    private final List<OperationUpdate> updates = new ArrayList<>();

    WorkerUpdates(Random random, List<OperationRecord> recorded, Instant now, Supplier<String> callbackIds) {
        this.random = random;
        this.now = now;
        this.callbackIds = callbackIds;
        for (OperationRecord op : recorded) {
            Known k = new Known(op.id(), op.parentId(), op.type(), op.subType(), op.name(), op.status(), op.attempt());
            k.scheduledEndAt = op.scheduledEndAt();
            k.callbackId = op.callbackId();
            known.put(op.id(), k);
        }
    }

    /** About {@code moves} moves (a step with its outcome is one move of two updates). */
    List<OperationUpdate> updates(int moves) {
        for (int i = 0; i < moves; i++) {
            int choice = random.nextInt(100);
            List<Known> all = List.copyOf(known.values());
            List<Known> open = all.stream().filter(k -> !k.status.isClosed()).toList();
            if (choice < 35 && !all.isEmpty()) {
                Known k = !open.isEmpty() && random.nextInt(5) != 0 ? open.get(random.nextInt(open.size()))
                        : all.get(random.nextInt(all.size()));
                advance(k);
            } else if (choice < 94) {
                List<Known> contexts = open.stream().filter(k -> k.type == OperationType.CONTEXT).toList();
                String parent = contexts.isEmpty() || random.nextBoolean() ? null
                        : contexts.get(random.nextInt(contexts.size())).id;
                begin(parent);
            } else if (choice < 97) {
                begin("9");
            } else {
                invalid();
            }
        }
        return List.copyOf(updates);
    }

    /** An update of the wrong shape, which makes the whole request invalid ({@code 400}, nothing written). */
    private void invalid() {
        String id = "x" + (known.size() + 1);
        OperationUpdate u = switch (random.nextInt(5)) {
            case 0 -> new OperationUpdate(id, null, OperationType.STEP, "Step", "no-next", OperationAction.RETRY, 1,
                    null, STEP_ERROR, null, null);
            case 1 -> new OperationUpdate(id, null, OperationType.STEP, "Step", "cancelled-step",
                    OperationAction.CANCEL, 1, null, null, null, null);
            case 2 -> new OperationUpdate(id, null, OperationType.WAIT, "Wait", "no-end", OperationAction.START, null,
                    null, null, null, null);
            case 3 -> new OperationUpdate(id, null, OperationType.STEP, "Step", "attempt-0", OperationAction.START, 0,
                    null, null, null, null);
            default -> new OperationUpdate(id, null, OperationType.CALLBACK, "Callback", "no-id",
                    OperationAction.START, null, null, null, null, null, OperationOptions.callback(null, null, null));
        };
        updates.add(u);
    }

    /** A new operation, the next id inside {@code parent}. */
    private void begin(String parent) {
        long siblings = known.values().stream()
                .filter(k -> parent == null ? k.parentId == null : parent.equals(k.parentId)).count();
        String id = (parent == null ? "" : parent + "-") + (siblings + 1);
        int kind = random.nextInt(100);
        if (kind < 35) {
            Known k = add(id, parent, OperationType.STEP, "Step", "step-" + id);
            stepAttempt(k, 1, random.nextInt(10) < 7);
        } else if (kind < 50) {
            Known k = add(id, parent, OperationType.WAIT, "Wait", "wait-" + id);
            k.scheduledEndAt = now.plus(delay());
            send(k, OperationAction.START, null, null, null, k.scheduledEndAt, null, null);
            k.status = OperationStatus.STARTED;
        } else if (kind < 65) {
            Known k = add(id, parent, OperationType.CALLBACK, "Callback", "callback-" + id);
            k.callbackId = callbackIds.get();
            Duration timeout = random.nextInt(3) == 0 ? null : delay();
            Duration heartbeat = random.nextInt(3) == 0 ? Duration.ofSeconds(30) : null;
            send(k, OperationAction.START, null, null, null, null,
                    OperationOptions.callback(k.callbackId, timeout, heartbeat), null);
            k.status = OperationStatus.STARTED;
        } else if (kind < 80) {
            Known k = add(id, parent, OperationType.CONTEXT, "RunInChildContext", "context-" + id);
            send(k, OperationAction.START, null, null, null, null, null, null);
            k.status = OperationStatus.STARTED;
        } else if (kind < 92) {
            Known k = add(id, parent, OperationType.STEP, "WaitForCondition", "condition-" + id);
            poll(k, 1);
        } else {
            Known k = add(id, parent, OperationType.CHAINED_INVOKE, "ChainedInvoke", "invoke-" + id);
            String workflow = random.nextInt(4) == 0 ? "never-registered" : EquivalenceRun.WORKFLOW;
            Duration timeout = random.nextInt(3) == 0 ? delay() : null;
            send(k, OperationAction.START, null, "{\"n\":2}", null, null,
                    OperationOptions.invoke(workflow, null, timeout), null);
            k.status = OperationStatus.STARTED;
        }
    }

    /** The next move of a recorded operation: what its status calls for, or, when closed, a late repeat. */
    private void advance(Known k) {
        switch (k.type) {
            case STEP -> {
                if (k.condition()) {
                    poll(k, k.status == OperationStatus.STARTED || k.status.isClosed() ? Math.max(k.attempt, 1)
                            : k.attempt + 1);
                } else if (k.status == OperationStatus.STARTED) {
                    stepOutcome(k, k.attempt);
                } else if (k.status == OperationStatus.READY || (k.status == OperationStatus.PENDING
                        && random.nextInt(3) == 0)) {
                    stepAttempt(k, k.attempt + 1, random.nextInt(10) < 7);
                } else {
                    // a late repeat of what the last attempt sent
                    stepAttempt(k, Math.max(k.attempt, 1), true);
                }
            }
            case WAIT -> {
                if (random.nextInt(3) == 0) {
                    send(k, OperationAction.SUCCEED, null, null, null, null, null, null);
                } else {
                    send(k, OperationAction.START, null, null, null,
                            k.scheduledEndAt != null ? k.scheduledEndAt : now.plus(delay()), null, null);
                }
            }
            case CALLBACK -> send(k, OperationAction.START, null, null, null, null,
                    OperationOptions.callback(k.callbackId != null ? k.callbackId : callbackIds.get(), null, null),
                    null);
            case CONTEXT -> {
                int end = random.nextInt(10);
                if (end < 4) {
                    send(k, OperationAction.SUCCEED, null, payload(), null, null, null, OperationStatus.SUCCEEDED);
                } else if (end < 6) {
                    send(k, OperationAction.FAIL, null, null, STEP_ERROR, null, null, OperationStatus.FAILED);
                } else {
                    send(k, OperationAction.CANCEL, null, null, null, null, null, OperationStatus.CANCELLED);
                    String prefix = k.id + "-";
                    known.values().stream().filter(o -> o.id.startsWith(prefix) && !o.status.isClosed())
                            .forEach(o -> o.status = OperationStatus.CANCELLED);
                }
            }
            case CHAINED_INVOKE -> send(k, OperationAction.START, null, "{\"n\":2}", null, null,
                    OperationOptions.invoke(EquivalenceRun.WORKFLOW, null, null), null);
            default -> throw new IllegalStateException("no updates for " + k.type);
        }
    }

    /** A step attempt's START, with its outcome in the same request when {@code withOutcome} (at least once). */
    private void stepAttempt(Known k, int attempt, boolean withOutcome) {
        send(k, OperationAction.START, attempt, null, null, null, null, null);
        if (k.status.isClosed() || k.attempt > attempt) {
            withOutcome = withOutcome && random.nextBoolean();
        } else {
            k.status = OperationStatus.STARTED;
            k.attempt = attempt;
        }
        if (withOutcome) {
            stepOutcome(k, attempt);
        }
    }

    private void stepOutcome(Known k, int attempt) {
        int outcome = random.nextInt(10);
        if (outcome < 5) {
            send(k, OperationAction.SUCCEED, attempt, payload(), null, null, null, OperationStatus.SUCCEEDED);
        } else if (outcome < 7) {
            send(k, OperationAction.FAIL, attempt, null, STEP_ERROR, null, null, OperationStatus.FAILED);
        } else {
            send(k, OperationAction.RETRY, attempt, null, STEP_ERROR, now.plus(delay()), null,
                    OperationStatus.PENDING);
        }
    }

    /** A condition poll of {@code attempt}: go on later, or its final state, or a failure. */
    private void poll(Known k, int attempt) {
        int outcome = random.nextInt(10);
        String state = "{\"n\":" + attempt + "}";
        if (outcome < 6) {
            send(k, OperationAction.CONTINUE, attempt, state, null, now.plus(delay()), null,
                    OperationStatus.PENDING);
        } else if (outcome < 9) {
            send(k, OperationAction.SUCCEED, attempt, state, null, null, null, OperationStatus.SUCCEEDED);
        } else {
            send(k, OperationAction.FAIL, attempt, state, STEP_ERROR, null, null, OperationStatus.FAILED);
        }
    }

    private Known add(String id, String parent, OperationType type, String subType, String name) {
        Known k = new Known(id, parent, type, subType, name, OperationStatus.STARTED, 0);
        known.put(id, k);
        return k;
    }

    /** Adds the update and, when it moves the operation forward, what it becomes ({@code becomes} null: as is). */
    private void send(Known k, OperationAction action, Integer attempt, String payload, ErrorInfo error, Instant at,
            OperationOptions options, OperationStatus becomes) {
        boolean wait = k.type == OperationType.WAIT && action == OperationAction.START;
        updates.add(new OperationUpdate(k.id, k.parentId, k.type, k.subType, k.name, action, attempt, payload, error,
                wait ? at : null, wait ? null : at, options));
        int next = attempt == null ? k.attempt : attempt;
        if (becomes != null && k.status.movesTo(becomes, k.attempt, next)) {
            k.status = becomes;
            k.attempt = next;
        }
    }

    private Duration delay() {
        return DELAYS[random.nextInt(DELAYS.length)];
    }

    private String payload() {
        return PAYLOADS[random.nextInt(PAYLOADS.length)];
    }
}
