package dev.cairn.worker.replay;

import dev.cairn.api.DurableHandler;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** An engine wired to a {@link FakeOrchestrator}, a movable clock and a cached thread pool. */
final class EngineHarness implements AutoCloseable {

    final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    final FakeOrchestrator orchestrator = new FakeOrchestrator(clock);
    final ExecutorService executor = Executors.newCachedThreadPool();
    final ReplayEngine engine;

    EngineHarness() {
        this(EngineListener.NONE);
    }

    EngineHarness(EngineListener listener) {
        engine = new ReplayEngine(JsonSerdes.withDefaults(), clock, executor, orchestrator, PayloadLimit.withDefault(),
                listener);
    }

    /** Runs one invocation of a handler without input, with everything recorded so far. */
    RunResult invoke(DurableHandler<Void, ?> handler) {
        return invoke(handler, Void.class, Object.class, null);
    }

    RunResult invoke(DurableHandler<?, ?> handler, Type inputType, Type outputType, String input) {
        return engine.run(orchestrator.nextInvocation(input),
                new WorkflowBinding("wf", "1", handler, inputType, outputType));
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
