package dev.cairn.orchestrator.checkpoint;

import dev.cairn.orchestrator.OrchestratorProperties;
import dev.cairn.orchestrator.api.FieldError;
import dev.cairn.orchestrator.api.InvalidRequestException;
import dev.cairn.orchestrator.json.PayloadJson;
import dev.cairn.orchestrator.json.RawJson;
import dev.cairn.orchestrator.notify.Wakeups;
import dev.cairn.orchestrator.sql.SqlTypes;
import dev.cairn.orchestrator.worker.WorkflowCatalog;
import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.InvocationOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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
    private final Clock clock;
    private final Duration leaseDuration;
    private final Duration timerPollInterval;

    private final InvokeTargets targets;

    public CheckpointService(CheckpointStore store, PayloadJson json, Wakeups wakeups, Clock clock,
            OrchestratorProperties properties, WorkflowCatalog catalog) {
        this.store = store;
        this.targets = catalog::resolve;
        this.json = json;
        this.wakeups = wakeups;
        this.clock = clock;
        this.leaseDuration = properties.leaseDuration();
        this.timerPollInterval = properties.timerPollInterval();
    }

    /**
     * Applies the updates of a checkpoint and extends the lease.
     *
     * @return what was written
     * @throws InvocationFencedException when the token is not the execution's current one
     */
    public Recorded checkpoint(CheckpointRequest request) {
        requireIds(request.executionId(), request.invocationToken());
        Instant now = now();
        UUID id = SqlTypes.uuidOrNull(request.executionId());
        UUID token = SqlTypes.uuidOrNull(request.invocationToken());
        CheckpointPlan plan = CheckpointPlan.of(request.updates(), now, json, id, targets);
        boolean timerSoon = dueSoon(plan, now);
        CheckpointStore.Written written = id == null || token == null ? null
                : store.checkpoint(id, token, plan, now, now.plus(leaseDuration), timerSoon);
        if (written == null) {
            log.debug("Checkpoint for execution {} fenced", request.executionId());
            throw new InvocationFencedException(request.executionId());
        }
        if (timerSoon) {
            wakeups.timers().signal();
        }
        if (written.wokeOthers()) {
            wakeups.ready().signal();
        }
        return new Recorded(written.workflow(), plan.operations(), written.childWorkflows());
    }

    /**
     * Records the end of an invocation.
     *
     * @return what was written
     * @throws InvocationFencedException when the token is not the execution's current one
     */
    public Recorded complete(CompletionRequest request) {
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
        CheckpointPlan plan = CheckpointPlan.of(request.updates(), now, json, id, targets);
        Completion completion = completion(request);
        boolean timerSoon = dueSoon(plan, now);
        CheckpointStore.Written written = id == null || token == null ? null
                : store.complete(id, token, plan, completion, now, timerSoon);
        if (written == null) {
            log.debug("Completion for execution {} fenced", request.executionId());
            throw new InvocationFencedException(request.executionId());
        }
        log.debug("Invocation of execution {} completed {}", request.executionId(), request.outcome());
        if (timerSoon && !completion.closes()) {
            wakeups.timers().signal();
        }
        // the worker has capacity again, and the execution may be ready again
        wakeups.ready().signal();
        return new Recorded(written.workflow(), plan.operations(), written.childWorkflows());
    }

    private Completion completion(CompletionRequest request) {
        return switch (request.outcome()) {
            case SUCCEEDED -> new Completion(request.outcome(), request.result(), null,
                    new EventRow("ExecutionSucceeded", null, null, null), request.startedAt(), request.endedAt());
            case FAILED -> {
                String error = json.error(request.error());
                yield new Completion(request.outcome(), null, error,
                        new EventRow("ExecutionFailed", null, null, json.object("error", new RawJson(error))),
                        request.startedAt(), request.endedAt());
            }
            case PENDING -> new Completion(request.outcome(), null, null, null, request.startedAt(),
                    request.endedAt());
        };
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
