package dev.cairn.worker.replay;

import dev.cairn.api.Serdes;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What every invocation of an engine shares.
 *
 * @param serdes the worker's default serdes for inputs, results and step results
 * @param clock the time source
 * @param executor runs concurrent branches and step bodies that have a timeout; it must not queue tasks behind
 *     running ones (a cached thread pool), since branches wait on each other
 * @param orchestrator where checkpoints and completions go
 * @param internalJson JSON for what must be JSON whatever the serdes is ({@code now()}, {@code randomUUID()},
 *     error data, batch results)
 * @param payloadLimit the largest payload the orchestrator takes
 * @param listener told when step bodies and invocations finish
 */
record EngineSettings(Serdes serdes, Clock clock, Executor executor, Orchestrator orchestrator,
        JsonSerdes internalJson, PayloadLimit payloadLimit, EngineListener listener) {

    EngineSettings {
        Objects.requireNonNull(serdes, "serdes");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(orchestrator, "orchestrator");
        Objects.requireNonNull(internalJson, "internalJson");
        Objects.requireNonNull(payloadLimit, "payloadLimit");
        Objects.requireNonNull(listener, "listener");
    }
}
