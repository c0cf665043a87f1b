package dev.cairn.testing.equivalence;

import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.testing.CallbackClosedException;
import dev.cairn.testing.DurableStore;
import dev.cairn.testing.ExecutionClosedException;
import dev.cairn.testing.ExecutionRecord;
import dev.cairn.testing.HistoryEvent;
import dev.cairn.testing.UnknownCallbackException;
import dev.cairn.testing.VirtualClock;
import dev.cairn.worker.replay.InvocationFencedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One store under comparison, with the ids it made named by their place in the run: executions {@code e0, e1, …}
 * (in the order they started or were found as chained children) and invocation tokens {@code t0, t1, …}. It
 * applies a {@link Request} and says what the store answered, and describes what the store holds in those names.
 */
final class Replica {

    private static final String UNKNOWN_TOKEN = UUID.nameUUIDFromBytes("no store made this token"
            .getBytes(StandardCharsets.UTF_8)).toString();

    private final DurableStore store;
    private final VirtualClock clock;
    private final String workflow;
    private final List<String> executions = new ArrayList<>();
    private final List<String> tokens = new ArrayList<>();
    /** Per execution id, its history's events as described so far ({@code Type@operation}). */
    private final Map<String, List<String>> described = new HashMap<>();
    private Request lastRequest;

    Replica(DurableStore store, VirtualClock clock, String workflow) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.workflow = Objects.requireNonNull(workflow, "workflow");
    }

    DurableStore store() {
        return store;
    }

    VirtualClock clock() {
        return clock;
    }

    int executionCount() {
        return executions.size();
    }

    String executionId(int execution) {
        return executions.get(execution);
    }

    /** Sends the request and answers what the store said, in the run's names. */
    String apply(Request request) {
        lastRequest = request;
        try {
            return send(request);
        } catch (InvocationFencedException e) {
            return "fenced";
        } catch (UnknownCallbackException e) {
            return "unknown callback";
        } catch (CallbackClosedException e) {
            return "closed callback";
        } catch (ExecutionClosedException e) {
            return "execution closed: " + e.status();
        } catch (IllegalArgumentException e) {
            return "invalid";
        }
    }

    private String send(Request request) {
        if (request instanceof Request.Start) {
            executions.add(store.start(workflow, "{\"n\":1}"));
            return "started e" + (executions.size() - 1);
        }
        if (request instanceof Request.Invoke i) {
            Optional<Invocation> invocation = store.nextInvocation(executions.get(i.execution()));
            if (invocation.isEmpty()) {
                return "not ready";
            }
            tokens.add(invocation.get().invocationToken());
            StringBuilder s = new StringBuilder("invocation t" + (tokens.size() - 1));
            invocation.get().operations().forEach(op -> s.append("\n    ").append(operation(op)));
            return s.toString();
        }
        if (request instanceof Request.Checkpoint c) {
            store.checkpoint(new CheckpointRequest(executions.get(c.execution()), token(c.token()), c.updates()));
        } else if (request instanceof Request.Complete c) {
            store.complete(new CompletionRequest(executions.get(c.execution()), token(c.token()), c.outcome(),
                    c.result(), c.error(), c.updates(), null, null));
        } else if (request instanceof Request.Advance a) {
            clock.advance(a.by());
            store.fireDueTimers(clock.instant());
        } else if (request instanceof Request.SucceedCallback c) {
            store.completeCallback(c.callbackId(), c.result());
        } else if (request instanceof Request.FailCallback c) {
            store.failCallback(c.callbackId(), c.error());
        } else if (request instanceof Request.HeartbeatCallback c) {
            store.heartbeatCallback(c.callbackId());
        } else if (request instanceof Request.Stop s) {
            return "stopped: " + store.stop(executions.get(s.execution())).status();
        } else {
            throw new IllegalStateException("unknown request " + request);
        }
        return "ok";
    }

    /**
     * What the store holds for every execution of the run, in the run's names; chained children found on the way
     * join the run's executions.
     */
    String describe() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < executions.size(); i++) {
            String id = executions.get(i);
            ExecutionRecord e = store.execution(id).orElseThrow(() -> new IllegalStateException("lost " + id));
            s.append('e').append(i).append(' ').append(e.status())
                    .append(" started=").append(e.startedAt()).append(" ended=").append(e.endedAt())
                    .append(" parent=").append(name(e.parentExecutionId()))
                    .append(" result=").append(e.result()).append(" error=").append(e.error()).append('\n');
            for (OperationRecord op : store.operations(id)) {
                String child = op.childExecutionId();
                if (child != null && !executions.contains(child) && store.execution(child).isPresent()) {
                    executions.add(child);
                }
                s.append("  ").append(operation(op)).append('\n');
            }
            s.append("  history:");
            history(id).forEach(h -> s.append(' ').append(h));
            s.append('\n');
        }
        return s.toString();
    }

    /** The statuses the executions and their operations (by type and subtype) hold now. */
    List<String> statuses() {
        List<String> statuses = new ArrayList<>();
        for (String id : executions) {
            statuses.add("execution " + store.execution(id).orElseThrow().status());
            store.operations(id).forEach(op -> statuses.add("operation " + op.type() + "/" + op.subType() + " "
                    + op.status()));
        }
        return statuses;
    }

    /**
     * The execution's history events in order, except that the events one timer pass recorded (due timers of
     * several operations fire in one pass) are taken in operation id order: which of them a store writes first is not
     * part of the recording rules.
     */
    private List<String> history(String executionId) {
        List<String> before = described.computeIfAbsent(executionId, x -> new ArrayList<>());
        List<HistoryEvent> events = store.history(executionId);
        if (events.size() > before.size()) {
            List<HistoryEvent> added = new ArrayList<>(events.subList(before.size(), events.size()));
            if (lastRequest instanceof Request.Advance) {
                added.sort(Comparator.comparing(HistoryEvent::operationId,
                        Comparator.nullsLast(Comparator.naturalOrder())));
            }
            added.forEach(h -> before.add(h.operationId() == null ? h.type() : h.type() + "@" + h.operationId()));
        } else if (events.size() < before.size()) {
            before.add("(" + (before.size() - events.size()) + " events lost)");
        }
        return before;
    }

    private String operation(OperationRecord op) {
        return op.id() + " " + op.type() + "/" + op.subType() + " \"" + op.name() + "\" in=" + op.parentId() + " "
                + op.status() + " a=" + op.attempt() + " started=" + op.startedAt() + " ended=" + op.endedAt()
                + " result=" + op.result() + " error=" + op.error() + " end=" + op.scheduledEndAt()
                + " next=" + op.nextAttemptAt() + " callback=" + op.callbackId()
                + " child=" + name(op.childExecutionId());
    }

    private String name(String executionId) {
        if (executionId == null) {
            return "null";
        }
        int i = executions.indexOf(executionId);
        return i < 0 ? "unnamed" : "e" + i;
    }

    private String token(int token) {
        return token == Request.UNKNOWN_TOKEN ? UNKNOWN_TOKEN : tokens.get(token);
    }
}
