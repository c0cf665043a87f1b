package dev.cairn.worker.replay;

import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.OperationUpdate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the checkpoints of one invocation, batching the updates of concurrent branches.
 *
 * <p>Updates are queued in order. A branch that needs its update durable waits for the acknowledgement of the
 * request that carried it; if no request is in flight it sends everything queued so far itself, and updates
 * queued while a request is in flight travel together in the next one. Updates nobody waits for (a wait's start,
 * a retry) ride along with the next request or with the completion.
 */
final class CheckpointSender {

    private static final Logger log = LoggerFactory.getLogger(CheckpointSender.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Orchestrator orchestrator;
    private final Branches branches;
    private final Cancellations cancellations = new Cancellations();
    private final String executionId;
    private final String invocationToken;
    private final List<OperationUpdate> queue = new ArrayList<>();
    private long queued;
    private long acknowledged;
    private boolean inFlight;
    private boolean closed;

    CheckpointSender(Orchestrator orchestrator, Branches branches, String executionId, String invocationToken) {
        this.orchestrator = orchestrator;
        this.branches = branches;
        this.executionId = executionId;
        this.invocationToken = invocationToken;
        branches.onEnd(this::wake);
    }

    /**
     * Queues updates, in order.
     *
     * @return the ticket to pass to {@link #awaitDurable(long)}
     * @throws SuspendExecution if the invocation has ended, or an update lies in a cancelled context
     */
    long enqueue(OperationUpdate... updates) {
        lock.lock();
        try {
            throwIfEnded();
            for (OperationUpdate update : updates) {
                if (cancellations.covers(update.id())) {
                    throw SuspendExecution.abandoned(update.id());
                }
            }
            queue.addAll(List.of(updates));
            queued += updates.length;
            return queued;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Cancels contexts: from now on nothing inside them can be queued, and {@code updates} (their CANCELs, and
     * whatever goes with them) are queued behind everything queued so far.
     *
     * @return the ticket to pass to {@link #awaitDurable(long)}
     */
    long cancel(Collection<String> contextIds, List<OperationUpdate> updates) {
        lock.lock();
        try {
            throwIfEnded();
            cancellations.addAll(contextIds);
            queue.addAll(updates);
            queued += updates.size();
            return queued;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code operationId} lies in a cancelled context (see {@link #cancel}). */
    boolean isCancelled(String operationId) {
        return cancellations.covers(operationId);
    }

    /** Queues updates and returns once the orchestrator has made them durable. */
    void send(OperationUpdate... updates) {
        awaitDurable(enqueue(updates));
    }

    /** Blocks until every update up to {@code ticket} is durable, sending queued updates when nobody else is. */
    void awaitDurable(long ticket) {
        lock.lock();
        try {
            while (acknowledged < ticket) {
                throwIfEnded();
                if (inFlight) {
                    changed.awaitUninterruptibly();
                } else {
                    sendQueued();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops sending: waits for a request in flight, then hands back the updates not sent yet, which travel with
     * the completion.
     */
    List<OperationUpdate> close() {
        lock.lock();
        try {
            while (inFlight) {
                changed.awaitUninterruptibly();
            }
            closed = true;
            List<OperationUpdate> rest = List.copyOf(queue);
            queue.clear();
            changed.signalAll();
            return rest;
        } finally {
            lock.unlock();
        }
    }

    private void sendQueued() {
        List<OperationUpdate> batch = List.copyOf(queue);
        long upTo = queued;
        queue.clear();
        inFlight = true;
        lock.unlock();
        boolean sent = false;
        try {
            orchestrator.checkpoint(new CheckpointRequest(executionId, invocationToken, batch));
            sent = true;
        } catch (InvocationFencedException e) {
            log.info("Invocation of execution {} was fenced; abandoning it", executionId);
            branches.end(Ending.FENCED);
        } catch (OrchestratorUnavailableException e) {
            log.warn("Abandoning invocation of execution {}: {}", executionId, e.getMessage());
            branches.end(Ending.ABANDONED);
        } catch (RuntimeException e) {
            log.error("The orchestrator refused checkpoints of execution {}; abandoning the invocation",
                    executionId, e);
            branches.end(Ending.ABANDONED);
        } finally {
            lock.lock();
            inFlight = false;
            if (sent) {
                acknowledged = upTo;
            }
            changed.signalAll();
        }
    }

    private void throwIfEnded() {
        Ending ending = branches.ending();
        if (ending != null || closed) {
            throw new SuspendExecution(ending != null ? ending : Ending.FINISHED);
        }
    }

    private void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
