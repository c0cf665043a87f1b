package dev.cairn.worker.replay;

import dev.cairn.api.DurableHandler;
import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One invocation: runs the handler from the top on the calling thread, replaying recorded operations, and sends
 * exactly one completion (SUCCEEDED, FAILED or PENDING) unless the invocation is fenced, abandoned or aborted.
 */
public final class InvocationRun {

    private static final Logger log = LoggerFactory.getLogger(InvocationRun.class);

    private final Invocation invocation;
    private final WorkflowBinding workflow;
    private final EngineSettings settings;
    private final Branches branches;
    private final CheckpointSender sender;
    private final ReplaySession session;
    private final AtomicBoolean started = new AtomicBoolean();

    InvocationRun(Invocation invocation, WorkflowBinding workflow, EngineSettings settings) {
        this.invocation = Objects.requireNonNull(invocation, "invocation");
        this.workflow = Objects.requireNonNull(workflow, "workflow");
        this.settings = settings;
        this.branches = new Branches(settings.executor());
        this.sender = new CheckpointSender(settings.orchestrator(), branches, invocation.executionId(),
                invocation.invocationToken());
        this.session = new ReplaySession(invocation.executionId(), workflow.name(),
                new OperationLog(invocation.operations()), branches, sender, settings,
                LoggerFactory.getLogger(workflow.handler().getClass()));
    }

    public String executionId() {
        return invocation.executionId();
    }

    public String invocationToken() {
        return invocation.invocationToken();
    }

    /** Runs the invocation on the calling thread and returns once it ended. Runs once. */
    public RunResult run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("invocation of execution " + executionId() + " already ran");
        }
        Instant startedAt = settings.clock().instant();
        long startedNanos = System.nanoTime();
        branches.enterRoot();
        try {
            RunResult result = drive(startedAt);
            log.debug("Invocation of execution {} ended {}", executionId(), result.outcome());
            Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
            EngineListener listener = settings.listener();
            ListenerCalls.tell(() -> listener.invocationFinished(workflow.name(), executionId(), result.outcome(),
                    took));
            return result;
        } finally {
            branches.exitRoot();
        }
    }

    /**
     * Stops the invocation as if the process had died: it writes nothing more, and its threads unwind. Used when
     * the worker shuts down; the orchestrator re-dispatches the execution once the lease expires.
     */
    public void abort() {
        branches.end(Ending.ABORTED);
    }

    @SuppressWarnings("unchecked")
    private RunResult drive(Instant startedAt) {
        Object result = null;
        Throwable thrown = null;
        boolean returned = false;
        try {
            Object input = session.decodeInput(invocation.input(), workflow.inputType());
            DurableScope root = new DurableScope(session, null);
            result = ActiveScope.runIn(root, () -> ((DurableHandler<Object, Object>) workflow.handler())
                    .handle(input, root));
            returned = true;
        } catch (SuspendExecution e) {
            // the ending says what happened
        } catch (VirtualMachineError e) {
            branches.end(Ending.ABANDONED);
            throw e;
        } catch (Throwable e) {
            thrown = e;
        }
        Ending ending = branches.end(Ending.FINISHED);
        return switch (ending) {
            case FENCED -> RunResult.of(RunOutcome.FENCED);
            case ABANDONED -> RunResult.of(RunOutcome.ABANDONED);
            case ABORTED -> RunResult.of(RunOutcome.ABORTED);
            case SUSPENDED -> complete(startedAt, InvocationOutcome.PENDING, null, null);
            case POISONED -> fail(startedAt, session.poisonedBy());
            case FINISHED -> returned ? succeed(startedAt, result) : fail(startedAt, thrown);
        };
    }

    private RunResult succeed(Instant startedAt, Object result) {
        String payload;
        try {
            payload = session.encodeResult(result, workflow.outputType());
            session.requireWithinLimit(payload, null, "the result of execution " + executionId());
        } catch (RuntimeException e) {
            return fail(startedAt, e);
        }
        return complete(startedAt, InvocationOutcome.SUCCEEDED, payload, null);
    }

    private RunResult fail(Instant startedAt, Throwable error) {
        Throwable cause = error != null ? error : new IllegalStateException("the handler ended without a result");
        log.debug("Execution {} failed", executionId(), cause);
        return complete(startedAt, InvocationOutcome.FAILED, null, session.errors().describe(cause));
    }

    private RunResult complete(Instant startedAt, InvocationOutcome outcome, String result, ErrorInfo error) {
        List<OperationUpdate> rest = sender.close();
        branches.interruptOthers();
        CompletionRequest request = new CompletionRequest(executionId(), invocationToken(), outcome, result, error,
                rest, startedAt, settings.clock().instant());
        try {
            settings.orchestrator().complete(request);
        } catch (InvocationFencedException e) {
            log.info("Completion of execution {} was fenced", executionId());
            return RunResult.of(RunOutcome.FENCED);
        } catch (OrchestratorUnavailableException e) {
            log.warn("Abandoning invocation of execution {}: {}", executionId(), e.getMessage());
            return RunResult.of(RunOutcome.ABANDONED);
        } catch (RuntimeException e) {
            log.error("The orchestrator refused the completion of execution {}", executionId(), e);
            return RunResult.of(RunOutcome.ABANDONED);
        }
        return new RunResult(RunOutcome.valueOf(outcome.name()), result, error);
    }
}
