package dev.cairn.orchestrator.worker;

import dev.cairn.orchestrator.OrchestratorProperties;
import dev.cairn.orchestrator.api.FieldError;
import dev.cairn.orchestrator.api.InvalidRequestException;
import dev.cairn.orchestrator.json.UnicodeText;
import dev.cairn.orchestrator.notify.Wakeups;
import dev.cairn.protocol.Heartbeat;
import dev.cairn.protocol.RegistrationAccepted;
import dev.cairn.protocol.WorkerRegistration;
import dev.cairn.protocol.WorkflowRef;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The worker-facing endpoints of the worker protocol: registration and heartbeats. A worker id belongs to the
 * worker that registered it, proven by its invocation secret (in the registration, and in the
 * {@value Heartbeat#WORKER_SECRET_HEADER} header of each heartbeat), until its last heartbeat is older than the worker
 * timeout plus the lease duration (dead, and every invocation it held has expired); only then may a registration
 * with another secret take the id.
 */
@RestController
public class WorkerController {

    private static final Logger log = LoggerFactory.getLogger(WorkerController.class);
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9._~+/=-]{22,512}");

    private final WorkerStore store;
    private final OrchestratorProperties properties;
    private final Clock clock;
    private final Wakeups wakeups;
    private final WorkerEndpointPolicy endpoints;

    public WorkerController(WorkerStore store, OrchestratorProperties properties, Clock clock, Wakeups wakeups,
            WorkerEndpointPolicy endpoints) {
        this.store = store;
        this.properties = properties;
        this.clock = clock;
        this.wakeups = wakeups;
        this.endpoints = endpoints;
    }

    @PostMapping(path = "/v1/workers/register", consumes = MediaType.APPLICATION_JSON_VALUE)
    public RegistrationAccepted register(@RequestBody WorkerRegistration registration) {
        validate(registration);
        if (!endpoints.allows(URI.create(registration.endpoint()))) {
            throw new InvalidRequestException("endpoint", registration.endpoint() + " is not among the endpoints "
                    + "workers may register (cairn.orchestrator.worker-endpoints.allowed)");
        }
        Instant now = clock.instant();
        if (!store.register(registration, now, expiredBefore(now))) {
            log.warn("Refused a registration of worker {} at {}: the id is registered with another secret",
                    registration.workerId(), registration.endpoint());
            throw new WorkerIdTakenException(registration.workerId(), "registration");
        }
        log.info("Worker {} registered at {} with capacity {} for {}", registration.workerId(),
                registration.endpoint(), registration.capacity(), registration.workflows());
        if (registration.invocationSecret() == null) {
            log.warn("Worker {} registered without an invocation secret: its invocation endpoint cannot tell this "
                    + "orchestrator from anyone else", registration.workerId());
        }
        wakeups.ready().signal();
        return new RegistrationAccepted(registration.workerId(), properties.heartbeatInterval(),
                properties.payloadLimit().toBytes());
    }

    @PostMapping(path = "/v1/workers/{workerId}/heartbeat", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> heartbeat(@PathVariable String workerId, @RequestBody Heartbeat heartbeat,
            @RequestHeader(name = Heartbeat.WORKER_SECRET_HEADER, required = false) String secret) {
        Instant now = clock.instant();
        WorkerStore.HeartbeatOutcome outcome = store.heartbeat(workerId, secret, heartbeat, now,
                now.plus(properties.leaseDuration()));
        if (outcome == WorkerStore.HeartbeatOutcome.UNKNOWN) {
            throw new UnknownWorkerException(workerId);
        }
        if (outcome == WorkerStore.HeartbeatOutcome.NOT_OWNER) {
            throw new WorkerIdTakenException(workerId, "heartbeat");
        }
        return Map.of();
    }

    /** A worker whose last heartbeat is before this is dead and expired: its id may be registered anew. */
    private Instant expiredBefore(Instant now) {
        return now.minus(properties.workerTimeout()).minus(properties.leaseDuration());
    }

    private static void validate(WorkerRegistration r) {
        List<FieldError> errors = new ArrayList<>();
        if (r.workerId() == null || r.workerId().isBlank() || r.workerId().length() > 200) {
            errors.add(new FieldError("workerId", "must be 1 to 200 characters"));
        }
        if (!isHttpUrl(r.endpoint())) {
            errors.add(new FieldError("endpoint", "must be an absolute http(s) URL"));
        }
        if (r.invocationSecret() != null && !SECRET.matcher(r.invocationSecret()).matches()) {
            errors.add(new FieldError("invocationSecret", "must be 22 to 512 characters of A-Z a-z 0-9 - _ . ~ + / ="
                    + " (at least 128 random bits)"));
        }
        if (UnicodeText.loneSurrogateAt(r.workerId()) >= 0) {
            errors.add(new FieldError("workerId", UnicodeText.problem()));
        }
        if (r.capacity() < 1) {
            errors.add(new FieldError("capacity", "must be at least 1"));
        }
        for (int i = 0; i < r.workflows().size(); i++) {
            WorkflowRef ref = r.workflows().get(i);
            if (ref == null || ref.name() == null || ref.name().isBlank()) {
                errors.add(new FieldError("workflows[" + i + "].name", "must not be blank"));
            }
            if (ref == null || ref.version() == null || ref.version().isBlank()) {
                errors.add(new FieldError("workflows[" + i + "].version", "must not be blank"));
            }
            if (ref != null && (UnicodeText.loneSurrogateAt(ref.name()) >= 0
                    || UnicodeText.loneSurrogateAt(ref.version()) >= 0)) {
                errors.add(new FieldError("workflows[" + i + "]", UnicodeText.problem()));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    private static boolean isHttpUrl(String s) {
        if (s == null || s.isBlank()) {
            return false;
        }
        try {
            URI uri = URI.create(s);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
