package dev.cairn.protocol;

import java.time.Duration;

/**
 * The answer to a {@link WorkerRegistration}.
 *
 * @param heartbeatInterval how often to heartbeat
 * @param payloadLimit the largest payload (a result, a state, an input) the orchestrator accepts, in bytes of
 *     UTF-8 JSON text; 0 when not told
 */
public record RegistrationAccepted(String workerId, Duration heartbeatInterval, long payloadLimit) {

    /** An answer that does not state the payload limit. */
    public RegistrationAccepted(String workerId, Duration heartbeatInterval) {
        this(workerId, heartbeatInterval, 0);
    }
}
