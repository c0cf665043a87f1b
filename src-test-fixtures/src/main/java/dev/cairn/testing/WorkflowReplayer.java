package dev.cairn.testing;

import dev.cairn.api.DurableHandler;
import dev.cairn.api.ErrorInfo;
import dev.cairn.api.NonDeterministicExecutionException;
import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.Invocation;
import dev.cairn.worker.replay.JsonSerdes;
import dev.cairn.worker.replay.Orchestrator;
import dev.cairn.worker.replay.ReplayEngine;
import dev.cairn.worker.replay.RunResult;
import dev.cairn.worker.replay.WorkflowBinding;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replays the current code of a workflow against a recorded execution and reports the first operation where the
 * code no longer asks for what was recorded (a renamed, removed, added or reordered operation). Nothing runs: step
 * bodies, condition checks and callback submitters are never called, nothing is sent anywhere. Run it in CI against
 * executions recorded from production before deploying a change to a workflow version.
 *
 * <pre>{@code
 * WorkflowReplayer.replay(Path.of("src/test/resources/order-123.json"), new OrderProcessing())
 *         .assertDeterministic();
 * }</pre>
 *
 * <p>An operation the code asks for beyond the recording is a divergence only when the recording says the execution
 * had ended (see {@link Recording#status()}); otherwise the execution simply had not got there yet.
 */
public final class WorkflowReplayer {

    private static final Pattern ENGINE_MESSAGE = Pattern.compile("Operation (\\S+): recorded (.*), code asked for (.*)");

    private WorkflowReplayer() {
    }

    /** Replays against operations JSON (the {@code GET /v1/executions/{id}/operations} answer, or a recording). */
    public static ReplayReport replay(String operationsJson, DurableHandler<?, ?> handler) {
        return replay(Recording.parse(operationsJson), handler);
    }

    /** Replays against a JSON file. */
    public static ReplayReport replay(Path operationsFile, DurableHandler<?, ?> handler) {
        return replay(Recording.read(operationsFile), handler);
    }

    /** Replays against an execution of a running orchestrator (token with role {@code read}, or null). */
    public static ReplayReport replay(URI orchestrator, String executionId, String bearerToken,
            DurableHandler<?, ?> handler) {
        return replay(Recording.fetch(orchestrator, executionId, bearerToken), handler);
    }

    /** Replays against a recording. */
    public static ReplayReport replay(Recording recording, DurableHandler<?, ?> handler) {
        Type[] types = LocalDurableTestRunner.handlerTypes(handler);
        ReplayObserver observer = new ReplayObserver(recording.operations(),
                recording.status() != null && recording.status().isTerminal());
        @SuppressWarnings({"unchecked", "rawtypes"})
        DurableHandler<Object, Object> observed = (input, ctx) -> ObservedContext.runObserved(ctx, null, observer,
                c -> ((DurableHandler) handler).handle(input, c));
        Instant replayTime = recording.operations().stream()
                .flatMap(op -> java.util.stream.Stream.of(op.startedAt(), op.endedAt()))
                .filter(java.util.Objects::nonNull).max(Instant::compareTo).orElse(Instant.EPOCH);
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "cairn-replayer");
            thread.setDaemon(true);
            return thread;
        });
        try {
            ReplayEngine engine = new ReplayEngine(JsonSerdes.withDefaults(), Clock.fixed(replayTime, ZoneOffset.UTC),
                    executor, new Discarding());
            Invocation invocation = new Invocation("replay", "replay", "replay", "replay", recording.inputJson(),
                    recording.operations(), replayTime);
            RunResult result = engine.run(invocation, new WorkflowBinding("replay", "replay", observed, types[0],
                    types[1]));
            ErrorInfo error = result.error();
            if (error != null && NonDeterministicExecutionException.class.getName().equals(error.type())) {
                observer.engineFound(fromEngine(error));
            }
            return observer.report();
        } finally {
            executor.shutdownNow();
        }
    }

    private static ReplayReport.Divergence fromEngine(ErrorInfo error) {
        String message = error.message() == null ? "" : error.message();
        Matcher m = ENGINE_MESSAGE.matcher(message);
        if (m.find()) {
            return new ReplayReport.Divergence(m.group(1), m.group(2), m.group(3));
        }
        return new ReplayReport.Divergence(null, "see: " + message, "something else");
    }

    /** Takes every checkpoint and completion and keeps nothing: a replay writes nowhere. */
    private static final class Discarding implements Orchestrator {
        @Override
        public void checkpoint(CheckpointRequest request) {
        }

        @Override
        public void complete(CompletionRequest request) {
        }
    }
}
