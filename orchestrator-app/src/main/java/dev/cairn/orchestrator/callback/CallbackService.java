package dev.cairn.orchestrator.callback;

import dev.cairn.api.ErrorInfo;
import dev.cairn.orchestrator.OrchestratorProperties;
import dev.cairn.orchestrator.json.PayloadJson;
import dev.cairn.orchestrator.json.RawJson;
import dev.cairn.orchestrator.ledger.CallbackOutcome;
import dev.cairn.orchestrator.ledger.Ledger;
import dev.cairn.orchestrator.metrics.CairnMetrics;
import dev.cairn.orchestrator.notify.Wakeups;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * How the outside world completes a callback: succeed (the body is the result), fail (an error) or heartbeat. Each
 * is one statement; a callback that is unknown is 404, one that is no longer STARTED or whose execution closed is
 * 409, and in those cases nothing changes. A completion that repeats the one that closed the callback (the same
 * outcome, a JSON-equal result or error) is answered as the first was and changes nothing: no event, no wake-up,
 * whatever happened to the execution since. A heartbeat of a closed callback stays 409: it extends nothing.
 */
@Service
public class CallbackService {

    private static final Logger log = LoggerFactory.getLogger(CallbackService.class);
    private static final int MAX_ID = 256;

    private final Ledger ledger;
    private final PayloadJson json;
    private final Wakeups wakeups;
    private final Clock clock;
    private final Duration timerPollInterval;
    private final CairnMetrics metrics;

    public CallbackService(Ledger ledger, PayloadJson json, Wakeups wakeups, Clock clock,
            OrchestratorProperties properties, CairnMetrics metrics) {
        this.ledger = ledger;
        this.metrics = metrics;
        this.json = json;
        this.wakeups = wakeups;
        this.clock = clock;
        this.timerPollInterval = properties.timerPollInterval();
    }

    /** The callback SUCCEEDED with {@code result} (JSON text, null for none): {@code CallbackSucceeded}. */
    public void succeed(String callbackId, String result) {
        requireKnownShape(callbackId);
        closed(callbackId, "SUCCEEDED", result, null, ledger.succeedCallback(callbackId, result, now()));
    }

    /** The callback FAILED with {@code error}: {@code CallbackFailed {error}}. */
    public void fail(String callbackId, ErrorInfo error) {
        String stored = json.error(error);
        requireKnownShape(callbackId);
        closed(callbackId, "FAILED", null, stored,
                ledger.failCallback(callbackId, stored, json.object("error", new RawJson(stored)), now()));
    }

    /**
     * Moves the callback's heartbeat timer to now + its heartbeat timeout (nothing when it has none). A heartbeat
     * that comes while a poller fires one of the callback's timers is 409: the callback is timing out.
     */
    public void heartbeat(String callbackId) {
        requireKnownShape(callbackId);
        CallbackOutcome outcome = ledger.heartbeatCallback(callbackId, now(), timerPollInterval)
                .orElseThrow(this::notFound);
        check(outcome);
        if (outcome.timerFiring()) {
            metrics.callback("CONFLICT");
            throw CallbackConflictException.timingOut();
        }
        metrics.callback("HEARTBEAT");
        if (outcome.changed()) {
            wakeups.timers().signal();
        }
        wakeups.tellReplicas(false, outcome.tellReplicas());
    }

    /** Answers a completion from what its statement found ({@code found}) and did. */
    private void closed(String callbackId, String status, String result, String error,
            Optional<CallbackOutcome> found) {
        CallbackOutcome outcome = found.orElseThrow(this::notFound);
        if (repeats(outcome, status, result, error)) {
            metrics.callback("REPEATED");
            log.debug("Callback {} {} again with the same payload: answered as the first time", callbackId, status);
            return;
        }
        check(outcome);
        metrics.callback(status);
        log.debug("Callback {} {}", callbackId, status);
        wakeups.ready().signal();
        wakeups.tellReplicas(outcome.tellReplicas(), false);
    }

    /**
     * Whether the request repeats the completion that closed the callback: the same outcome with the same result or
     * error (JSON-equal). Nothing was written, and it is answered as the first one was.
     */
    private boolean repeats(CallbackOutcome outcome, String status, String result, String error) {
        return !outcome.changed() && status.equals(outcome.status()) && json.sameValue(result, outcome.result())
                && json.sameValue(error, outcome.error());
    }

    private void check(CallbackOutcome outcome) {
        if (!"RUNNING".equals(outcome.executionStatus())) {
            metrics.callback("CONFLICT");
            throw CallbackConflictException.executionClosed(outcome.executionStatus());
        }
        if (!"STARTED".equals(outcome.status())) {
            metrics.callback("CONFLICT");
            throw CallbackConflictException.callbackClosed(outcome.status());
        }
    }

    private void requireKnownShape(String callbackId) {
        if (callbackId == null || callbackId.isBlank() || callbackId.length() > MAX_ID) {
            throw notFound();
        }
    }

    private CallbackNotFoundException notFound() {
        metrics.callback("NOT_FOUND");
        return new CallbackNotFoundException();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
