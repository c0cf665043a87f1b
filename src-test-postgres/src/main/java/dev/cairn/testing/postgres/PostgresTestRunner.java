package dev.cairn.testing.postgres;

import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;
import dev.cairn.api.ErrorInfo;
import dev.cairn.api.Serdes;
import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.LocalDurableTestRunner;
import dev.cairn.testing.TestDatabase;
import dev.cairn.testing.TestResult;
import dev.cairn.testing.VirtualClock;
import dev.cairn.worker.replay.JsonSerdes;
import dev.cairn.worker.replay.Orchestrator;
import dev.cairn.worker.replay.ReplayEngine;
import dev.cairn.worker.replay.WorkflowBinding;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.core.ResolvableType;

/**
 * Runs a workflow with the real replay engine against the orchestrator's own store on PostgreSQL
 * ({@link PostgresDurableStore}): what the orchestrator's SQL records of repeats, timers and the lifecycle is what
 * the test sees. Time is virtual, as in {@link LocalDurableTestRunner}: when nothing is ready the clock jumps to the
 * next timer and the orchestrator fires it as its timer poller does; {@link #run} and {@link #resume} stop before a
 * callback's timeout (so that the test can complete the callback), {@link #runUntilComplete} lets it expire.
 *
 * <p>Next to {@link LocalDurableTestRunner} it has the runs, the callbacks and the results; fault injection, stubs
 * of chained invokes and {@code advanceTime} stay with the in-memory runner.
 *
 * <pre>{@code
 * try (var runner = PostgresTestRunner.start(OrderTest.class, new OrderProcessing(payments))) {
 *     assertThat(runner.runUntilComplete(order)).hasStatus(SUCCEEDED);
 * }
 * }</pre>
 *
 * <p>{@link #start} makes a database ({@link TestDatabase}: {@code CAIRN_TEST_JDBC_URL}, else a Testcontainers
 * PostgreSQL when a Docker engine answers, else an embedded one) and an orchestrator on it, and closing the runner
 * drops both. Starting an orchestrator takes seconds: for many tests, share one {@link PostgresDurableStore} per
 * class and make a runner per test with {@link #on}.
 *
 * @param <I> the workflow's input type
 * @param <O> the workflow's result type
 */
public final class PostgresTestRunner<I, O> implements AutoCloseable {

    private static final int MAX_ROUNDS = 100_000;

    private final PostgresDurableStore store;
    private final List<AutoCloseable> owned;
    private final WorkflowBinding workflow;
    private final Map<String, Integer> invocationCounts = new HashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(daemonThreads());
    private final Serdes serdes = JsonSerdes.withDefaults();
    private final ReplayEngine engine;
    private String executionId;

    private PostgresTestRunner(PostgresDurableStore store, WorkflowBinding workflow, List<AutoCloseable> owned) {
        this.store = store;
        this.workflow = workflow;
        this.owned = owned;
        this.engine = new ReplayEngine(serdes, store.clock(), executor, new Orchestrator() {
            @Override
            public void checkpoint(CheckpointRequest request) {
                store.checkpoint(request);
            }

            @Override
            public void complete(CompletionRequest request) {
                store.complete(request);
            }
        });
    }

    /**
     * A fresh database and orchestrator for {@code handler} alone, both dropped by {@link #close()}; virtual time
     * starts at {@link LocalDurableTestRunner#DEFAULT_START}.
     *
     * @param testClass names the database
     */
    public static <I, O> PostgresTestRunner<I, O> start(Class<?> testClass, DurableHandler<I, O> handler) {
        WorkflowBinding binding = binding(handler);
        TestDatabase db = TestDatabase.create(testClass);
        try {
            PostgresDurableStore store = PostgresDurableStore.start(db,
                    new VirtualClock(LocalDurableTestRunner.DEFAULT_START),
                    List.of(new WorkflowRef(binding.name(), binding.version())));
            return new PostgresTestRunner<>(store, binding, List.of(store, db));
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /**
     * A runner for {@code handler} on a store that serves its workflow (started with its name and version); closing
     * the runner leaves the store running.
     */
    public static <I, O> PostgresTestRunner<I, O> on(PostgresDurableStore store, DurableHandler<I, O> handler) {
        return new PostgresTestRunner<>(store, binding(handler), List.of());
    }

    /** The store the workflow runs on. */
    public PostgresDurableStore store() {
        return store;
    }

    /** The current execution's id (null before the first run). */
    public String executionId() {
        return executionId;
    }

    /**
     * Starts an execution and runs it until it ends or waits on something only the test can do: an open callback
     * (its timeout is the one timer this does not jump to; {@link #runUntilComplete} does).
     */
    public TestResult<O> run(I input) {
        start(input);
        return drive(false);
    }

    /**
     * Starts an execution and runs it until it ends, firing every timer on the way, callback timeouts too; an
     * {@link AssertionError} when it can never end (it waits on a callback without a timeout, say).
     */
    public TestResult<O> runUntilComplete(I input) {
        start(input);
        return requireEnded(drive(true));
    }

    /** Continues the current execution (after completing a callback, say) as {@link #run} does. */
    public TestResult<O> resume() {
        requireStarted();
        return drive(false);
    }

    /** Continues the current execution to its end as {@link #runUntilComplete} does. */
    public TestResult<O> resumeUntilComplete() {
        requireStarted();
        return requireEnded(drive(true));
    }

    /**
     * Completes the open callback {@code name} (a {@code createCallback} or {@code waitForCallback} name) with
     * {@code result}, through the orchestrator's {@code POST /v1/callbacks/{id}/succeed}.
     */
    public void completeCallback(String name, Object result) {
        store.completeCallback(callbackId(name),
                serdes.serialize(result, result == null ? Object.class : result.getClass()));
    }

    /** Fails the open callback {@code name}: the workflow sees {@code CallbackFailedException}. */
    public void failCallback(String name, ErrorInfo error) {
        store.failCallback(callbackId(name), error);
    }

    /** The id of the open callback {@code name}, in the current execution or a chained child of it. */
    public String callbackId(String name) {
        requireStarted();
        for (String id : family()) {
            for (String candidate : List.of(name, name + "-callback")) {
                Optional<String> found = store.operations(id).stream()
                        .filter(op -> op.type() == OperationType.CALLBACK && candidate.equals(op.name())
                                && op.status() == OperationStatus.STARTED)
                        .map(OperationRecord::callbackId)
                        .reduce((first, second) -> second);
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        throw new AssertionError("no open callback named '" + name + "'");
    }

    /** The current execution as the store holds it now. */
    public TestResult<O> result() {
        requireStarted();
        return snapshot();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        RuntimeException failure = null;
        for (AutoCloseable resource : owned) {
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing " + resource, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    // ---------------------------------------------------------------- the loop

    private void start(I input) {
        String json = input == null ? null : serdes.serialize(input, workflow.inputType() == Void.class
                ? Object.class : workflow.inputType());
        executionId = store.start(workflow.name(), json);
    }

    /** Invokes what is ready, fires due timers, jumps to the next timer (a callback's too when {@code all}). */
    private TestResult<O> drive(boolean all) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            if (ended(executionId)) {
                return snapshot();
            }
            if (invokeReady()) {
                continue;
            }
            if (store.fireDueTimers(store.now()) > 0) {
                continue;
            }
            Optional<PostgresDurableStore.DueTimer> next = store.nextTimer(family());
            if (next.isEmpty() || (!all && next.get().kind().isCallbackTimer())) {
                return snapshot();
            }
            store.fireDueTimers(next.get().dueAt().isAfter(store.now()) ? next.get().dueAt() : store.now());
        }
        throw new AssertionError("the execution did not settle after " + MAX_ROUNDS + " rounds: " + snapshot());
    }

    private TestResult<O> requireEnded(TestResult<O> result) {
        if (!result.isComplete()) {
            throw new AssertionError("the execution can never end: nothing but the test can move it on: "
                    + result.operations());
        }
        return result;
    }

    /** Invokes the execution and its running chained children once each; whether any was ready. */
    private boolean invokeReady() {
        boolean invoked = false;
        for (String id : family()) {
            Optional<Invocation> invocation = store.nextInvocation(id);
            if (invocation.isEmpty()) {
                continue;
            }
            if (!invocation.get().workflow().equals(workflow.name())) {
                throw new IllegalStateException("no handler for workflow " + invocation.get().workflow());
            }
            invocationCounts.merge(id, 1, Integer::sum);
            engine.run(invocation.get(), workflow);
            invoked = true;
        }
        return invoked;
    }

    /** The execution and its chained descendants that are still running. */
    private List<String> family() {
        Map<String, Boolean> seen = new LinkedHashMap<>();
        List<String> pending = new ArrayList<>(List.of(executionId));
        while (!pending.isEmpty()) {
            String id = pending.remove(pending.size() - 1);
            if (seen.containsKey(id)) {
                continue;
            }
            seen.put(id, !ended(id));
            for (OperationRecord operation : store.operations(id)) {
                if (operation.childExecutionId() != null) {
                    pending.add(operation.childExecutionId());
                }
            }
        }
        return seen.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
    }

    private boolean ended(String id) {
        return store.execution(id).map(e -> e.status().isTerminal()).orElse(true);
    }

    private TestResult<O> snapshot() {
        String waitingOn = ended(executionId) ? null : waitingOn();
        return TestResult.of(store, executionId, invocationCounts.getOrDefault(executionId, 0), serdes,
                workflow.outputType(), waitingOn);
    }

    private String waitingOn() {
        List<String> callbacks = family().stream()
                .flatMap(id -> store.operations(id).stream())
                .filter(op -> op.type() == OperationType.CALLBACK && op.status() == OperationStatus.STARTED)
                .map(op -> "callback '" + op.name() + "'")
                .toList();
        if (!callbacks.isEmpty()) {
            return String.join(", ", callbacks);
        }
        return store.nextTimer(family()).map(t -> t.kind() + " timer due " + t.dueAt())
                .orElse("nothing (no timer, no open callback)");
    }

    private void requireStarted() {
        if (executionId == null) {
            throw new IllegalStateException("no execution yet: call run(input) first");
        }
    }

    private static WorkflowBinding binding(DurableHandler<?, ?> handler) {
        DurableWorkflow annotation = handler.getClass().getAnnotation(DurableWorkflow.class);
        String name = annotation != null ? annotation.name() : "workflow-under-test";
        String version = annotation != null ? annotation.version() : "1";
        ResolvableType type = ResolvableType.forClass(handler.getClass()).as(DurableHandler.class);
        return new WorkflowBinding(name, version, handler, argument(type, 0), argument(type, 1));
    }

    private static Type argument(ResolvableType handlerType, int index) {
        ResolvableType argument = handlerType.getGeneric(index);
        return argument.resolve() == null ? Object.class : argument.getType();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "cairn-postgres-runner-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
