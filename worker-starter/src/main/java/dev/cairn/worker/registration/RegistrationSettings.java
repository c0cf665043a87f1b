package dev.cairn.worker.registration;

import java.time.Duration;
import java.util.Objects;

/**
 * How the worker registers and heartbeats.
 *
 * @param workerId this worker's id
 * @param heartbeatInterval the interval until the orchestrator's {@code RegistrationAccepted} says otherwise
 * @param registrationRetry the delay between registration attempts while the orchestrator cannot be reached
 */
public record RegistrationSettings(String workerId, Duration heartbeatInterval, Duration registrationRetry) {

    public RegistrationSettings {
        Objects.requireNonNull(workerId, "workerId");
        requirePositive(heartbeatInterval, "heartbeatInterval");
        requirePositive(registrationRetry, "registrationRetry");
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
