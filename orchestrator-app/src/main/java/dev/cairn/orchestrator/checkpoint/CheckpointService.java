package dev.cairn.orchestrator.checkpoint;

import dev.cairn.orchestrator.OrchestratorProperties;
import dev.cairn.orchestrator.api.FieldError;
import dev.cairn.orchestrator.api.InvalidRequestException;
import dev.cairn.orchestrator.commit.Outcome;
import dev.cairn.orchestrator.json.PayloadJson;
import dev.cairn.orchestrator.json.RawJson;
import dev.cairn.orchestrator.ledger.CheckpointPlan;
import dev.cairn.orchestrator.ledger.CheckpointStore;
import dev.cairn.orchestrator.ledger.Completion;
import dev.cairn.orchestrator.notify.ClosedExecutions;
import dev.cairn.orchestrator.notify.Wakeups;
import dev.cairn.orchestrator.sql.SqlTypes;
import dev.cairn.orchestrator.worker.WorkflowCatalog;
import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.InvocationBatch;
import dev.cairn.protocol.InvocationOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Records what workers report: checkpoints during an invocation and its completion, fenced by the token. */
@Service
public class CheckpointService {

    private static final Logger log = LoggerFactory.getLogger(CheckpointService.class);

    private final CheckpointStore store;
    private final PayloadJson json;
    private final Wakeups wakeups;
    private final ClosedExecutions closed;
    private final Clock clock;
    private final Duration leaseDuration;
    private final Duration timerPollInterval;

    private final InvokeTargets targets;

    public CheckpointService(CheckpointStore store, PayloadJson json, Wakeups wakeups, ClosedExecutions closed,
            Clock clock, OrchestratorProperties properties, WorkflowCatalog catalog) {
        this.store = store;
        this.targets = catalog::resolve;
        this.json = json;
        this.wakeups = wakeups;
        this.closed = closed;
        this.clock = clock;
        this.leaseDuration = properties.leaseDuration();
        this.timerPollInterval = properties.timerPollInterval();
    }

    /**
     * Applies the updates of a checkpoint and extends the lease.
     *
     * @return what was written
     * @throws InvalidRequestException when the request is not one the protocol defines (nothing is written)
     * @throws InvocationFencedException when the token is not the execution's current one
     */
    public Recorded checkpoint(CheckpointRequest request) {
        return writeOne(prepare(request));
    }

    /**
     * Records the end of an invocation.
     *
     * @return what was written
     * @throws InvalidRequestException when the request is not one the protocol defines (nothing is written)
     * @throws InvocationFencedException when the token is not the execution's current one
     */
    public Recorded complete(CompletionRequest request) {
        return writeOne(prepare(request));
    }

    /**
     * What became of one item of a batch: what it wrote, or the exception its own endpoint would have answered
     * ({@link InvalidRequestException} with fields named from the batch, e.g. {@code items[3].checkpoint.executionId},
     * {@link InvocationFencedException}, or the failure of its statement).
     */
    public record ItemOutcome(Recorded recorded, RuntimeException failure) {

        static ItemOutcome failed(RuntimeException failure) {
            return new ItemOutcome(null, failure);
        }
    }

    /**
     * Records checkpoints and completions of several invocations: each item as its own endpoint would, all the
     * valid ones written together through the group commit (in as few transactions as it allows), the wake-ups
     * signalled once. An invalid, fenced or failing item writes nothing and does not affect the others.
     *
     * @return one outcome per item, in order
     */
    public List<ItemOutcome> recordAll(List<InvocationBatch.Item> items) {
        ItemOutcome[] outcomes = new ItemOutcome[items.size()];
        List<Prepared> prepared = new ArrayList<>(items.size());
        List<Integer> positions = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            try {
                prepared.add(prepare(items.get(i), "items[" + i + "]"));
                positions.add(i);
            } catch (RuntimeException e) {
                outcomes[i] = ItemOutcome.failed(e);
            }
        }
        List<CheckpointStore.Write> writes = new ArrayList<>(prepared.size());
        for (Prepared p : prepared) {
            if (p.write() != null) {
                writes.add(p.write());
            }
        }
        List<Outcome<CheckpointStore.Written>> written = store.writeAll(writes);
        Signals signals = new Signals();
        Error fatal = null;
        int w = 0;
        for (int k = 0; k < prepared.size(); k++) {
            Prepared p = prepared.get(k);
            int at = positions.get(k);
            if (p.write() == null) {
                outcomes[at] = ItemOutcome.failed(p.fenced());
                continue;
            }
            Outcome<CheckpointStore.Written> outcome = written.get(w++);
            if (outcome instanceof Outcome.Written<CheckpointStore.Written> ok) {
                try {
                    outcomes[at] = new ItemOutcome(finish(p, ok.result(), signals), null);
                } catch (RuntimeException e) {
                    // fenced, or the read that tells a repeated completion failed: this item's answer only
                    outcomes[at] = ItemOutcome.failed(e);
                }
            } else if (outcome instanceof Outcome.Failed<CheckpointStore.Written> failed) {
                outcomes[at] = ItemOutcome.failed(failed.failure());
            } else if (outcome instanceof Outcome.Unknown<CheckpointStore.Written> unknown) {
                outcomes[at] = ItemOutcome.failed(unknown.failure());
            } else if (outcome instanceof Outcome.Defect<CheckpointStore.Written> defect) {
                fatal = defect.failure();
            }
        }
        signals.signal(wakeups, closed);
        if (fatal != null) {
            throw fatal;
        }
        return List.of(outcomes);
    }

    private Recorded writeOne(Prepared prepared) {
        CheckpointStore.Written written = prepared.write() == null ? null : store.write(prepared.write());
        Signals signals = new Signals();
        Recorded recorded = finish(prepared, written, signals);
        signals.signal(wakeups, closed);
        return recorded;
    }

    /**
     * What the statement answered, as what was written. A completion that finds its token already closed by the
     * completion it repeats (sent again after its answer was lost) is answered as that one was, writing nothing.
     *
     * @throws InvocationFencedException when it was fenced
     */
    private Recorded finish(Prepared prepared, CheckpointStore.Written written, Signals signals) {
        if (written == null && prepared.completion() != null && prepared.write() != null) {
            Optional<String> workflow = store.repeatedCompletion(prepared.id(), prepared.token(),
                    prepared.completion());
            if (workflow.isPresent()) {
                log.debug("Completion for execution {} repeats the one already recorded", prepared.executionId());
                return Recorded.repeatedCompletion(workflow.get());
            }
        }
        return prepared.finish(written, signals);
    }

    /**
     * Validates and plans one item of a batch, naming invalid fields from the batch.
     *
     * @throws InvalidRequestException when the item holds neither or both parts, or its part is invalid
     */
    private Prepared prepare(InvocationBatch.Item item, String at) {
        if (item == null) {
            throw new InvalidRequestException(at, "must not be null");
        }
        if ((item.checkpoint() == null) == (item.completion() == null)) {
            throw new InvalidRequestException(at, "must hold exactly one of 'checkpoint' and 'completion'");
        }
        String part = at + (item.checkpoint() != null ? ".checkpoint." : ".completion.");
        try {
            return item.checkpoint() != null ? prepare(item.checkpoint()) : prepare(item.completion());
        } catch (InvalidRequestException e) {
            List<FieldError> errors = new ArrayList<>(e.errors().size());
            for (FieldError error : e.errors()) {
                errors.add(new FieldError(part + error.field(), error.message()));
            }
            throw new InvalidRequestException(errors);
        }
    }

    private Prepared prepare(CheckpointRequest request) {
        requireIds(request.executionId(), request.invocationToken());
        Instant now = now();
        UUID id = SqlTypes.uuidOrNull(request.executionId());
        UUID token = SqlTypes.uuidOrNull(request.invocationToken());
        CheckpointPlan plan = CheckpointPlanner.of(request.updates(), now, json, id, targets);
        boolean timerSoon = dueSoon(plan, now);
        CheckpointStore.Write write = id == null || token == null ? null
                : store.checkpointWrite(id, token, plan, now, now.plus(leaseDuration));
        return new Prepared(request.executionId(), id, token, plan, write, null, timerSoon);
    }

    private Prepared prepare(CompletionRequest request) {
        requireIds(request.executionId(), request.invocationToken());
        List<FieldError> errors = new ArrayList<>();
        if (request.outcome() == null) {
            errors.add(new FieldError("outcome", "is required (SUCCEEDED, FAILED or PENDING)"));
        } else if (request.outcome() == InvocationOutcome.FAILED && request.error() == null) {
            errors.add(new FieldError("error", "is required when the outcome is FAILED"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        Instant now = now();
        UUID id = SqlTypes.uuidOrNull(request.executionId());
        UUID token = SqlTypes.uuidOrNull(request.invocationToken());
        CheckpointPlan plan = CheckpointPlanner.of(request.updates(), now, json, id, targets);
        Completion completion = completion(request);
        boolean timerSoon = dueSoon(plan, now);
        CheckpointStore.Write write = id == null || token == null ? null
                : store.completionWrite(id, token, plan, completion, now);
        return new Prepared(request.executionId(), id, token, plan, write, completion, timerSoon);
    }

    /**
     * A checkpoint or completion validated and planned, with its statement (null when its ids cannot be current:
     * fenced without a write).
     *
     * @param completion null for a checkpoint
     */
    private record Prepared(String executionId, UUID id, UUID token, CheckpointPlan plan,
            CheckpointStore.Write write, Completion completion, boolean timerSoon) {

        InvocationFencedException fenced() {
            log.debug("{} for execution {} fenced", completion == null ? "Checkpoint" : "Completion", executionId);
            return new InvocationFencedException(executionId);
        }

        /**
         * What the statement answered, as what was written, noting the wake-ups it calls for.
         *
         * @throws InvocationFencedException when it was fenced
         */
        Recorded finish(CheckpointStore.Written written, Signals signals) {
            if (written == null) {
                throw fenced();
            }
            // other replicas hear of children started, parents woken, an execution ready again at the end of its
            // invocation (not of the worker's capacity: they read it) and timers due before their next poll
            signals.tellReady |= written.wokeOthers();
            if (completion == null) {
                signals.timers |= timerSoon;
                signals.ready |= written.wokeOthers();
            } else {
                log.debug("Invocation of execution {} completed {}", executionId, completion.outcome());
                if (completion.closes()) {
                    signals.closed.add(id);
                }
                signals.timers |= timerSoon && !completion.closes();
                // the execution may be ready again (or have woken a parent); the worker has room again, which
                // wakes the dispatcher only if it waits for room
                signals.ready |= written.ready() || written.wokeOthers();
                signals.capacityFreed = true;
                signals.tellReady |= written.ready() && !completion.closes();
            }
            return new Recorded(written.workflow(), plan.operations(), written.childWorkflows());
        }
    }

    private Completion completion(CompletionRequest request) {
        String error = request.outcome() == InvocationOutcome.FAILED ? json.error(request.error()) : null;
        return Completion.of(request.outcome(), request.outcome() == InvocationOutcome.SUCCEEDED ? request.result()
                : null, error, error == null ? null : json.object("error", new RawJson(error)), request.startedAt(),
                request.endedAt());
    }

    private boolean dueSoon(CheckpointPlan plan, Instant now) {
        Instant earliest = plan.earliestTimer();
        return earliest != null && earliest.isBefore(now.plus(timerPollInterval));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static void requireIds(String executionId, String token) {
        List<FieldError> errors = new ArrayList<>();
        if (executionId == null || executionId.isBlank()) {
            errors.add(new FieldError("executionId", "is required"));
        }
        if (token == null || token.isBlank()) {
            errors.add(new FieldError("invocationToken", "is required"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }
}
