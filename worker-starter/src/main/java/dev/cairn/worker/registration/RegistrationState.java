package dev.cairn.worker.registration;

import java.time.Duration;

/**
 * Where registration stands.
 *
 * @param workerId this worker's id
 * @param registered whether the orchestrator accepted the worker
 * @param endpoint the URL registered (when registered)
 * @param heartbeatInterval the interval in use (when registered)
 * @param problem why the worker is not registered (when not)
 */
public record RegistrationState(String workerId, boolean registered, String endpoint, Duration heartbeatInterval,
        String problem) {

    static RegistrationState registered(String workerId, String endpoint, Duration heartbeatInterval) {
        return new RegistrationState(workerId, true, endpoint, heartbeatInterval, null);
    }

    static RegistrationState unregistered(String workerId, String problem) {
        return new RegistrationState(workerId, false, null, null, problem);
    }
}
