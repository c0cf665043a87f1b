package dev.cairn.testing;

import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;
import dev.cairn.api.ErrorInfo;
import dev.cairn.api.Serdes;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import dev.cairn.worker.replay.JsonSerdes;
import dev.cairn.worker.replay.PayloadLimit;
import dev.cairn.worker.replay.ReplayEngine;
import dev.cairn.worker.replay.RunResult;
import dev.cairn.worker.replay.WorkflowBinding;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.core.ResolvableType;

/**
 * Runs a workflow in process with the real replay engine and an {@link InMemoryDurableStore}, on virtual time.
 *
 * <p>It loops as the orchestrator's dispatcher does: invoke every ready execution, record its checkpoints and
 * completion, fire due timers, invoke again. With time skipping (the default) the clock jumps to the next timer
 * whenever nothing else can happen, so waits, retry delays, condition polls and chained children's timeouts take no
 * real time. A callback's timeout is not skipped by {@link #run}: the run stops so that the test can complete the
 * callback ({@link #completeCallback}, then {@link #resume}); {@link #runUntilComplete} skips callback timeouts too.
 *
 * <pre>{@code
 * var runner = LocalDurableTestRunner.create(new OrderProcessing());
 * TestResult<OrderResult> result = runner.run(new OrderRequest("o-1"));
 * assertThat(result).hasStatus(SUCCEEDED).operation("charge").succeeded().hasAttempts(1);
 * }</pre>
 *
 * <p>One runner drives one execution at a time (the last one started, with the chained children it starts). Not
 * thread-safe: drive it from the test thread. Close it (or use {@link CairnTestExtension}) to stop its threads.
 *
 * @param <I> the workflow's input type
 * @param <O> the workflow's result type
 */
public final class LocalDurableTestRunner<I, O> implements AutoCloseable {

    /** Virtual time starts here unless {@link #withStartTime} says otherwise. */
    public static final Instant DEFAULT_START = Instant.parse("2030-01-01T00:00:00Z");

    private static final int MAX_ROUNDS = 100_000;

    private enum Skip { NONE, TIMERS, ALL }

    private final VirtualClock clock = new VirtualClock(DEFAULT_START);
    private final InMemoryDurableStore store = new InMemoryDurableStore(clock);
    private final FaultInjector faults = new FaultInjector(store);
    private final ExecutorService executor = Executors.newCachedThreadPool(daemonThreads());
    private final WorkflowBinding workflow;
    private final Map<String, WorkflowBinding> workflows = new HashMap<>();
    private final Map<String, CompletionRequest> stubs = new HashMap<>();
    private final Map<String, Integer> invocationCounts = new HashMap<>();
    private Serdes serdes = JsonSerdes.withDefaults();
    private long payloadLimit = PayloadLimit.DEFAULT_BYTES;
    private boolean timeSkipping = true;
    private Duration executionTimeout;
    private ReplayEngine engine;
    private String executionId;

    private LocalDurableTestRunner(WorkflowBinding workflow) {
        this.workflow = workflow;
        register(workflow);
    }

    /**
     * A runner for {@code handler}; its name and version come from {@code @DurableWorkflow} when present, its input
     * and result types from the {@code DurableHandler} type arguments.
     */
    public static <I, O> LocalDurableTestRunner<I, O> create(DurableHandler<I, O> handler) {
        Type[] types = handlerTypes(handler);
        return create(handler, types[0], types[1]);
    }

    /** A runner for a handler whose types cannot be read from its class (a lambda). */
    public static <I, O> LocalDurableTestRunner<I, O> create(DurableHandler<I, O> handler, Type inputType,
            Type outputType) {
        return new LocalDurableTestRunner<>(binding(handler, inputType, outputType));
    }

    // ---------------------------------------------------------------- configuration

    /** Starts virtual time at {@code start} (before the first run). */
    public LocalDurableTestRunner<I, O> withStartTime(Instant start) {
        requireNotStarted();
        clock.advanceTo(start);
        return this;
    }

    /** Turns time skipping off: timers fire only when {@link #advanceTime} moves the clock past them. */
    public LocalDurableTestRunner<I, O> withoutTimeSkipping() {
        this.timeSkipping = false;
        return this;
    }

    /** The serdes of the worker (default: JSON with Jackson's defaults). */
    public LocalDurableTestRunner<I, O> withSerdes(Serdes serdes) {
        requireNotStarted();
        this.serdes = Objects.requireNonNull(serdes, "serdes");
        return this;
    }

    /** The orchestrator's payload limit in bytes (default 1 MiB). */
    public LocalDurableTestRunner<I, O> withPayloadLimit(long bytes) {
        requireNotStarted();
        this.payloadLimit = bytes;
        return this;
    }

    /** The execution timeout of executions this runner starts (default none). */
    public LocalDurableTestRunner<I, O> withExecutionTimeout(Duration timeout) {
        this.executionTimeout = timeout;
        return this;
    }

    /** Runs {@code handler} for chained invokes of {@code name} (version from its annotation, else "1"). */
    public LocalDurableTestRunner<I, O> registerWorkflow(String name, DurableHandler<?, ?> handler) {
        Type[] types = handlerTypes(handler);
        DurableWorkflow annotation = handler.getClass().getAnnotation(DurableWorkflow.class);
        register(new WorkflowBinding(name, annotation == null ? "1" : annotation.version(), handler, types[0],
                types[1]));
        return this;
    }

    /** Chained invokes of {@code name} succeed with {@code result} (no handler runs). */
    public LocalDurableTestRunner<I, O> stubInvoke(String name, Object result) {
        String json = serdes.serialize(result, result == null ? Object.class : result.getClass());
        stubs.put(name, new CompletionRequest(null, null, InvocationOutcome.SUCCEEDED, json, null, null, null, null));
        store.registerWorkflow(name, "1");
        return this;
    }

    /** Chained invokes of {@code name} fail with {@code error} (the parent sees {@code InvokeFailedException}). */
    public LocalDurableTestRunner<I, O> stubInvokeFailure(String name, ErrorInfo error) {
        stubs.put(name, new CompletionRequest(null, null, InvocationOutcome.FAILED, null, Objects.requireNonNull(error),
                null, null, null));
        store.registerWorkflow(name, "1");
        return this;
    }

    // ---------------------------------------------------------------- running

    /**
     * Starts an execution with {@code input} and runs it until it ends, or until it waits on something only the
     * test can do (an open callback; with time skipping off, any timer).
     */
    public TestResult<O> run(I input) {
        start(input);
        return drive(timeSkipping ? Skip.TIMERS : Skip.NONE);
    }

    /** Starts an execution and runs it to its end, skipping callback timeouts too; fails if it cannot end. */
    public TestResult<O> runUntilComplete(I input) {
        start(input);
        return resumeUntilComplete();
    }

    /** Continues the current execution (after completing a callback, say) as {@link #run} does. */
    public TestResult<O> resume() {
        requireStarted();
        return drive(timeSkipping ? Skip.TIMERS : Skip.NONE);
    }

    /** Continues the current execution to its end, skipping callback timeouts; fails if it cannot end. */
    public TestResult<O> resumeUntilComplete() {
        requireStarted();
        TestResult<O> result = drive(Skip.ALL);
        if (!result.isComplete()) {
            throw new AssertionError("the execution cannot complete: it waits on " + result.waitingOn()
                    + " that nothing will complete; operations: " + result.operations());
        }
        return result;
    }

    /** Moves virtual time forward by {@code duration}, fires what came due and runs what became ready. */
    public TestResult<O> advanceTime(Duration duration) {
        requireStarted();
        Instant target = clock.instant().plus(duration);
        while (true) {
            InMemoryDurableStore.Timer next = store.nextTimer();
            if (next == null || next.dueAt().isAfter(target)) {
                break;
            }
            clock.advanceTo(next.dueAt());
            drive(Skip.NONE);
        }
        clock.advanceTo(target);
        return drive(Skip.NONE);
    }

    /** The current execution's state now. */
    public TestResult<O> result() {
        requireStarted();
        return snapshot();
    }

    // ---------------------------------------------------------------- callbacks

    /** Completes the open callback {@code name} (or the callback of {@code waitForCallback(name)}) with a result. */
    public void completeCallback(String name, Object result) {
        String json = serdes.serialize(result, result == null ? Object.class : result.getClass());
        store.completeCallback(callbackId(name), json);
    }

    /** Fails the open callback {@code name}: the workflow sees {@code CallbackFailedException}. */
    public void failCallback(String name, ErrorInfo error) {
        store.failCallback(callbackId(name), error);
    }

    /** Times the open callback {@code name} out now: the workflow sees {@code CallbackTimeoutException}. */
    public void timeoutCallback(String name) {
        store.timeOutCallback(callbackId(name));
    }

    /** Heartbeats the open callback {@code name}: its heartbeat timeout starts again from now. */
    public void heartbeatCallback(String name) {
        store.heartbeatCallback(callbackId(name));
    }

    /**
     * The id of the open callback {@code name} (a {@code createCallback} name, or a {@code waitForCallback} name),
     * in the current execution or a chained child of it.
     */
    public String callbackId(String name) {
        requireStarted();
        for (ExecutionRecord execution : store.executions()) {
            for (String candidate : List.of(name, name + "-callback")) {
                String found = store.operations(execution.executionId()).stream()
                        .filter(op -> op.type() == OperationType.CALLBACK && candidate.equals(op.name())
                                && op.status() == OperationStatus.STARTED)
                        .map(OperationRecord::callbackId)
                        .reduce((first, second) -> second)
                        .orElse(null);
                if (found != null) {
                    return found;
                }
            }
        }
        throw new AssertionError("no open callback named '" + name + "'; open callbacks: " + openCallbacks());
    }

    // ---------------------------------------------------------------- fault injection

    /**
     * The next checkpoint holding the success of step {@code name} is lost and the invocation crashes: on replay the
     * step runs again, as when a worker dies after the body ran but before the checkpoint was durable.
     */
    public LocalDurableTestRunner<I, O> loseCheckpointOf(String stepName) {
        faults.loseCheckpoint(stepName);
        return this;
    }

    /**
     * The next success of step {@code name} is lost after its START was recorded, and the invocation crashes: the
     * step stays STARTED, so on replay an at-most-once step hands {@code StepInterruptedException} to its retry
     * strategy and an at-least-once step runs the same attempt again.
     */
    public LocalDurableTestRunner<I, O> interruptStep(String stepName) {
        faults.interruptStep(stepName);
        return this;
    }

    /** The first invocation to go beyond {@code operations} recorded operations crashes there, then replays. */
    public LocalDurableTestRunner<I, O> crashAfterOperations(int operations) {
        faults.crashAfterOperations(operations);
        return this;
    }

    /** How many invocations fault injection crashed. */
    public int crashes() {
        return faults.crashes();
    }

    // ---------------------------------------------------------------- access

    public VirtualClock clock() {
        return clock;
    }

    public InMemoryDurableStore store() {
        return store;
    }

    /** The current execution's id (null before the first run). */
    public String executionId() {
        return executionId;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- the loop

    private void start(I input) {
        if (engine == null) {
            engine = new ReplayEngine(serdes, clock, executor, faults, new PayloadLimit(payloadLimit));
        }
        String json = input == null ? null : serdes.serialize(input, workflow.inputType() == Void.class
                ? Object.class : workflow.inputType());
        executionId = store.start(workflow.name(), workflow.version(), json, executionTimeout);
        faults.rootExecution(executionId);
    }

    private TestResult<O> drive(Skip skip) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            if (rootClosed()) {
                return snapshot();
            }
            List<String> ready = store.readyExecutions();
            if (!ready.isEmpty()) {
                ready.forEach(this::invoke);
                continue;
            }
            if (store.fireDueTimers(clock.instant()) > 0) {
                continue;
            }
            InMemoryDurableStore.Timer next = store.nextTimer();
            if (skip == Skip.NONE || next == null || (skip == Skip.TIMERS && next.kind().isCallbackTimer())) {
                return snapshot();
            }
            clock.advanceTo(next.dueAt());
        }
        throw new AssertionError("the execution did not settle after " + MAX_ROUNDS + " rounds: " + snapshot());
    }

    private void invoke(String id) {
        Invocation invocation = store.nextInvocation(id).orElse(null);
        if (invocation == null) {
            return;
        }
        invocationCounts.merge(id, 1, Integer::sum);
        CompletionRequest stub = stubs.get(invocation.workflow());
        if (stub != null && !workflows.containsKey(invocation.workflow())) {
            Instant now = clock.instant();
            store.complete(new CompletionRequest(id, invocation.invocationToken(), stub.outcome(), stub.result(),
                    stub.error(), List.of(), now, now));
            return;
        }
        WorkflowBinding binding = workflows.get(invocation.workflow());
        RunResult result = engine.run(invocation, binding);
        if (!result.outcome().isCompleted()) {
            store.expireLease(id);
        }
    }

    private boolean rootClosed() {
        return store.execution(executionId).map(e -> e.status().isTerminal()).orElse(true);
    }

    private TestResult<O> snapshot() {
        ExecutionRecord execution = store.execution(executionId).orElseThrow();
        String waitingOn = execution.status().isTerminal() ? null : waitingOn();
        return new TestResult<>(execution, store.operations(executionId), store.history(executionId),
                invocationCounts.getOrDefault(executionId, 0), serdes, workflow.outputType(), waitingOn);
    }

    private String waitingOn() {
        List<String> callbacks = openCallbacks();
        if (!callbacks.isEmpty()) {
            return String.join(", ", callbacks);
        }
        InMemoryDurableStore.Timer next = store.nextTimer();
        return next == null ? "nothing (no timer, no open callback)" : next.kind() + " timer of operation "
                + next.operationId() + " due " + next.dueAt();
    }

    private List<String> openCallbacks() {
        return store.executions().stream()
                .filter(e -> !e.status().isTerminal())
                .flatMap(e -> store.operations(e.executionId()).stream())
                .filter(op -> op.type() == OperationType.CALLBACK && op.status() == OperationStatus.STARTED)
                .sorted(Comparator.comparing(OperationRecord::startedAt))
                .map(op -> "callback '" + op.name() + "'")
                .toList();
    }

    private void register(WorkflowBinding binding) {
        workflows.put(binding.name(), binding);
        store.registerWorkflow(binding.name(), binding.version());
    }

    private void requireStarted() {
        if (executionId == null) {
            throw new IllegalStateException("no execution yet: call run(input) first");
        }
    }

    private void requireNotStarted() {
        if (engine != null) {
            throw new IllegalStateException("configure the runner before the first run");
        }
    }

    private static WorkflowBinding binding(DurableHandler<?, ?> handler, Type inputType, Type outputType) {
        DurableWorkflow annotation = handler.getClass().getAnnotation(DurableWorkflow.class);
        String name = annotation != null ? annotation.name() : "workflow-under-test";
        String version = annotation != null ? annotation.version() : "1";
        return new WorkflowBinding(name, version, handler, inputType, outputType);
    }

    static Type[] handlerTypes(DurableHandler<?, ?> handler) {
        ResolvableType type = ResolvableType.forClass(handler.getClass()).as(DurableHandler.class);
        return new Type[] {argument(type, 0), argument(type, 1)};
    }

    private static Type argument(ResolvableType handlerType, int index) {
        ResolvableType argument = handlerType.getGeneric(index);
        return argument.resolve() == null ? Object.class : argument.getType();
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "cairn-local-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
