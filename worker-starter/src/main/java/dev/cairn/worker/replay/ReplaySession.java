package dev.cairn.worker.replay;

import dev.cairn.api.FutureCombinator;
import dev.cairn.api.NonDeterministicExecutionException;
import dev.cairn.api.PayloadTooLargeException;
import dev.cairn.api.SerializationException;
import dev.cairn.api.Serdes;
import dev.cairn.protocol.OperationRecord;
import java.lang.reflect.Type;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/** What the operations of one invocation share: the log, the branches, the sender, serialization and time. */
final class ReplaySession {

    private final String executionId;
    private final String workflow;
    private final OperationLog log;
    private final Branches branches;
    private final CheckpointSender sender;
    private final EngineSettings settings;
    private final Logger workflowLogger;
    private final ExecutionErrors errors;
    private final RecordedErrors recordedErrors;
    private final FutureCombinator combinator = new EngineCombinator(this);
    private static final long LIVE_COMPLETIONS = 1L << 62;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final AtomicLong completions = new AtomicLong();
    private volatile NonDeterministicExecutionException poison;

    ReplaySession(String executionId, String workflow, OperationLog log, Branches branches,
            CheckpointSender sender, EngineSettings settings, Logger workflowLogger) {
        this.executionId = executionId;
        this.workflow = workflow;
        this.log = log;
        this.branches = branches;
        this.sender = sender;
        this.settings = settings;
        this.workflowLogger = workflowLogger;
        this.errors = new ExecutionErrors(settings.internalJson());
        this.recordedErrors = new RecordedErrors(settings.internalJson());
    }

    String executionId() {
        return executionId;
    }

    OperationLog log() {
        return log;
    }

    /** Tells the engine's listener that a step body ran and what its attempt came to. */
    void stepFinished(String operationId, StepOutcome outcome, Duration took) {
        EngineListener listener = settings.listener();
        ListenerCalls.tell(() -> listener.stepFinished(workflow, operationId, outcome, took));
    }

    Branches branches() {
        return branches;
    }

    CheckpointSender sender() {
        return sender;
    }

    Clock clock() {
        return settings.clock();
    }

    /** Runs step bodies that have a timeout. */
    Executor executor() {
        return settings.executor();
    }

    /** The worker's default serdes. */
    Serdes serdes() {
        return settings.serdes();
    }

    JsonSerdes internalJson() {
        return settings.internalJson();
    }

    Logger workflowLogger() {
        return workflowLogger;
    }

    ExecutionErrors errors() {
        return errors;
    }

    RecordedErrors recordedErrors() {
        return recordedErrors;
    }

    FutureCombinator combinator() {
        return combinator;
    }

    /**
     * The order in which a future completed in this invocation, for an {@code anyOf} that has not chosen yet: after
     * every operation that completed in an earlier one.
     */
    long nextCompletion() {
        return LIVE_COMPLETIONS + completions.incrementAndGet();
    }

    /**
     * The order of a future whose operation completed in an earlier invocation: by its recorded end. It decides
     * only an {@code anyOf} that has no recorded choice (one asked for its outcome for the first time, or one in a
     * log recorded before choices were); a recorded choice is never re-derived from it (see {@link Choice}).
     */
    long recordedCompletion(OperationRecord recorded) {
        Instant ended = recorded.endedAt();
        if (ended == null) {
            return nextCompletion();
        }
        long seconds = Math.max(0, Math.min(ended.getEpochSecond(), (LIVE_COMPLETIONS - 1) / NANOS_PER_SECOND - 1));
        return seconds * NANOS_PER_SECOND + ended.getNano();
    }

    /** Cancelled contexts of this invocation: nothing inside them may be claimed or checkpointed. */
    boolean isCancelled(String operationId) {
        return sender.isCancelled(operationId);
    }

    /** Marks the invocation as failed by non-determinism, whatever the code does with the error. */
    NonDeterministicExecutionException poison(NonDeterministicExecutionException error) {
        synchronized (this) {
            if (poison == null) {
                poison = error;
            }
        }
        branches.end(Ending.POISONED);
        return error;
    }

    NonDeterministicExecutionException poisonedBy() {
        return poison;
    }

    /** Serializes with {@code serdes} (the worker's default when null), naming the operation on failure. */
    String encode(Serdes serdes, Object value, Type type, String operationId) {
        try {
            return (serdes == null ? settings.serdes() : serdes).serialize(value, type);
        } catch (RuntimeException e) {
            throw serializationError("serialize the result of operation " + operationId, operationId, e);
        }
    }

    /**
     * Serializes like {@link #encode} and checks the result against the payload limit.
     *
     * @param what what the payload is, for the message ("the result of step 'charge'")
     * @throws PayloadTooLargeException if it is larger than the orchestrator takes
     */
    String encodeWithinLimit(Serdes serdes, Object value, Type type, String operationId, String what) {
        String payload = encode(serdes, value, type, operationId);
        requireWithinLimit(payload, operationId, what);
        return payload;
    }

    /** @throws PayloadTooLargeException if {@code payload} is larger than the orchestrator takes */
    void requireWithinLimit(String payload, String operationId, String what) {
        long size = settings.payloadLimit().excess(payload);
        if (size >= 0) {
            String where = operationId != null ? " (operation " + operationId + ")" : "";
            String message = "Payload too large: " + what + where + " is " + size
                    + " bytes, over the orchestrator's limit of " + settings.payloadLimit().bytes() + " bytes";
            throw new PayloadTooLargeException(message, operationId, null);
        }
    }

    /** Deserializes with {@code serdes} (the worker's default when null), naming the operation on failure. */
    Object decode(Serdes serdes, String data, Type type, String operationId) {
        try {
            return (serdes == null ? settings.serdes() : serdes).deserialize(data, type);
        } catch (RuntimeException e) {
            throw serializationError("deserialize the result of operation " + operationId, operationId, e);
        }
    }

    /** The execution's input: null when absent, or when the handler takes {@code Void}. */
    Object decodeInput(String input, Type type) {
        if (input == null || input.isBlank() || type == Void.class) {
            return null;
        }
        try {
            return settings.serdes().deserialize(input, type);
        } catch (RuntimeException e) {
            throw serializationError("deserialize the input of execution " + executionId, null, e);
        }
    }

    /** Serializes the handler's result. */
    String encodeResult(Object result, Type type) {
        try {
            return settings.serdes().serialize(result, type == Void.class ? Object.class : type);
        } catch (RuntimeException e) {
            throw serializationError("serialize the result of execution " + executionId, null, e);
        }
    }

    private static SerializationException serializationError(String what, String operationId, RuntimeException e) {
        String message = "Could not " + what + ": " + e.getMessage();
        return new SerializationException(message, operationId, null, e);
    }
}
