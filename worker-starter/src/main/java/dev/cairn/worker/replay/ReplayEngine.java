package dev.cairn.worker.replay;

import dev.cairn.api.Serdes;
import dev.cairn.protocol.Invocation;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * Runs invocations by replay. Thread-safe; one engine serves every invocation of a worker.
 *
 * <p>The engine has no framework dependency: the worker starter wires it to HTTP, the test kit runs it in
 * process against an in-memory orchestrator.
 */
public final class ReplayEngine {

    private final EngineSettings settings;

    /**
     * @param serdes the worker's default serdes (inputs, results, step results without their own)
     * @param clock the time source for waits, retries and {@code now()}
     * @param executor runs concurrent branches ({@code stepAsync}) and step bodies with a timeout; it must start
     *     every task at once (a cached thread pool), never queue it behind running ones
     * @param orchestrator where checkpoints and completions go
     */
    public ReplayEngine(Serdes serdes, Clock clock, Executor executor, Orchestrator orchestrator) {
        this(serdes, clock, executor, orchestrator, PayloadLimit.withDefault());
    }

    /**
     * @param payloadLimit the largest payload the orchestrator takes (a result over it fails its step with
     *     {@code PayloadTooLargeException}); the worker updates it from the registration answer
     */
    public ReplayEngine(Serdes serdes, Clock clock, Executor executor, Orchestrator orchestrator,
            PayloadLimit payloadLimit) {
        this(serdes, clock, executor, orchestrator, payloadLimit, EngineListener.NONE);
    }

    /**
     * @param listener told when a step body that ran finishes and when an invocation ends (metrics); its
     *     failures are logged and ignored
     */
    public ReplayEngine(Serdes serdes, Clock clock, Executor executor, Orchestrator orchestrator,
            PayloadLimit payloadLimit, EngineListener listener) {
        this.settings = new EngineSettings(serdes, clock, executor, orchestrator, JsonSerdes.withDefaults(),
                payloadLimit, listener);
    }

    /** The payload limit this engine enforces. */
    public PayloadLimit payloadLimit() {
        return settings.payloadLimit();
    }

    /** Prepares one invocation; {@link InvocationRun#run()} runs it on the calling thread. */
    public InvocationRun prepare(Invocation invocation, WorkflowBinding workflow) {
        return new InvocationRun(invocation, workflow, settings);
    }

    /** Runs one invocation on the calling thread, up to its completion. */
    public RunResult run(Invocation invocation, WorkflowBinding workflow) {
        return prepare(invocation, workflow).run();
    }
}
