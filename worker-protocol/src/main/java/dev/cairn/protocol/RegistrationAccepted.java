package dev.cairn.protocol;

import java.time.Duration;

/** The answer to a {@link WorkerRegistration}: how often to heartbeat. */
public record RegistrationAccepted(String workerId, Duration heartbeatInterval) {
}
