package dev.cairn.testing.equivalence;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationUpdate;
import dev.cairn.testing.ExecutionStatus;
import dev.cairn.testing.InMemoryDurableStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Makes each {@link Command} a concrete {@link Request}, as a worker, the dispatcher and clients would send it given
 * what the reference store holds at that point: mostly what a real worker sends (updates of operations it has, with
 * the token it holds), with a fraction of late, repeated and stale requests and callbacks nobody knows.
 */
final class RequestPlanner {

    /** Most executions a run starts (chained children come on top). */
    static final int MAX_STARTS = 3;

    private static final Duration[] ADVANCES = {Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1),
            Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2)};

    private final Replica reference;
    private final String callbackPrefix;
    private final Map<Integer, List<Integer>> tokensOf = new HashMap<>();
    private final List<Request> sent = new ArrayList<>();
    private final List<String> callbackIds = new ArrayList<>();
    /** The executions whose latest invocation has not completed yet. */
    private final Set<Integer> invoked = new HashSet<>();
    private int starts;
    private int nextCallback;

    /**
     * @param callbackPrefix makes this run's callback ids unique in a store that other runs use too
     */
    RequestPlanner(Replica reference, String callbackPrefix) {
        this.reference = reference;
        this.callbackPrefix = callbackPrefix;
    }

    Request plan(Command command) {
        Random random = new Random(command.seed());
        return switch (command.kind()) {
            case START -> starts < MAX_STARTS ? new Request.Start() : invoke(random);
            case INVOKE -> invoke(random);
            case CHECKPOINT -> write(random, false);
            case COMPLETE -> write(random, true);
            case REPEAT -> sent.isEmpty() ? advance(random) : sent.get(random.nextInt(sent.size()));
            case STALE -> stale(random);
            case ADVANCE -> advance(random);
            case CALLBACK -> callback(random);
            case STOP -> new Request.Stop(pickExecution(random, true));
        };
    }

    /** Takes note of what was sent and answered (the same by every store, or the run has ended). */
    void sent(Request request, String answer) {
        if (request instanceof Request.Start) {
            starts++;
        } else if (request instanceof Request.Invoke i && answer.startsWith("invocation t")) {
            int token = Integer.parseInt(answer.substring("invocation t".length()).split("\\s", 2)[0]);
            tokensOf.computeIfAbsent(i.execution(), e -> new ArrayList<>()).add(token);
            invoked.add(i.execution());
        } else if (request instanceof Request.Complete c && answer.equals("ok")) {
            invoked.remove(c.execution());
        }
        if (request instanceof Request.Invoke) {
            return;
        } else if (!(request instanceof Request.Advance) && !sent.contains(request)) {
            sent.add(request);
        }
        List<OperationUpdate> updates = request instanceof Request.Checkpoint c ? c.updates()
                : request instanceof Request.Complete c ? c.updates() : List.of();
        for (OperationUpdate u : updates) {
            if (u.options() != null && u.options().callbackId() != null && !callbackIds.contains(
                    u.options().callbackId())) {
                callbackIds.add(u.options().callbackId());
            }
        }
    }

    /** Mostly a running execution that no invocation holds. */
    private Request invoke(Random random) {
        List<Integer> idle = IntStream.range(0, reference.executionCount())
                .filter(e -> running(e) && !invoked.contains(e)).boxed().toList();
        if (!idle.isEmpty() && random.nextInt(5) != 0) {
            return new Request.Invoke(idle.get(random.nextInt(idle.size())));
        }
        return new Request.Invoke(pickExecution(random, true));
    }

    /**
     * Time moves on, at most to the next due timer: the timer poller keeps up, so one pass fires the timers due at
     * one instant (when it lags, a store may apply the timers of one pass in another order than they fell due).
     */
    private Request advance(Random random) {
        Duration by = ADVANCES[random.nextInt(ADVANCES.length)];
        if (reference.store() instanceof InMemoryDurableStore memory && memory.nextTimer() != null) {
            Duration toNext = Duration.between(reference.clock().instant(), memory.nextTimer().dueAt());
            if (!toNext.isNegative() && !toNext.isZero() && toNext.compareTo(by) < 0) {
                by = toNext;
            }
        }
        return new Request.Advance(by);
    }

    /** A checkpoint or completion by the worker that holds the execution's latest token. */
    private Request write(Random random, boolean complete) {
        List<Integer> holders = IntStream.range(0, reference.executionCount())
                .filter(e -> invoked.contains(e) && running(e)).boxed().toList();
        if (holders.isEmpty() || random.nextInt(10) == 0) {
            holders = IntStream.range(0, reference.executionCount())
                    .filter(e -> tokensOf.containsKey(e) && running(e)).boxed().toList();
        }
        if (holders.isEmpty()) {
            return invoke(random);
        }
        int execution = holders.get(random.nextInt(holders.size()));
        List<Integer> tokens = tokensOf.get(execution);
        return request(random, execution, tokens.get(tokens.size() - 1), complete);
    }

    /** A write with a token that is no longer (or never was) the execution's. */
    private Request stale(Random random) {
        List<Integer> withOld = IntStream.range(0, reference.executionCount())
                .filter(e -> tokensOf.containsKey(e) && tokensOf.get(e).size() > 1).boxed().toList();
        int execution;
        int token;
        if (withOld.isEmpty() || random.nextInt(4) == 0) {
            execution = pickExecution(random, false);
            token = Request.UNKNOWN_TOKEN;
        } else {
            execution = withOld.get(random.nextInt(withOld.size()));
            List<Integer> tokens = tokensOf.get(execution);
            token = tokens.get(random.nextInt(tokens.size() - 1));
        }
        return request(random, execution, token, random.nextInt(3) == 0);
    }

    private Request request(Random random, int execution, int token, boolean complete) {
        WorkerUpdates updates = new WorkerUpdates(random, reference.store().operations(
                reference.executionId(execution)), reference.clock().instant(), this::newCallbackId);
        if (!complete) {
            return new Request.Checkpoint(execution, token, updates.updates(1 + random.nextInt(3)));
        }
        List<OperationUpdate> last = updates.updates(random.nextInt(3));
        // a chained child ends more often than a root, so that its parent learns it
        int outcome = child(execution) ? 3 + random.nextInt(7) : random.nextInt(10);
        if (outcome < 7) {
            return new Request.Complete(execution, token, InvocationOutcome.PENDING, null, null, last);
        }
        if (outcome < 9) {
            return new Request.Complete(execution, token, InvocationOutcome.SUCCEEDED, "\"done\"", null, last);
        }
        return new Request.Complete(execution, token, InvocationOutcome.FAILED, null,
                new ErrorInfo("dev.cairn.api.StepFailedException", "gave up", null), last);
    }

    private Request callback(Random random) {
        String id = callbackIds.isEmpty() || random.nextInt(8) == 0 ? callbackPrefix + "-nobody-knows"
                : callbackIds.get(random.nextInt(callbackIds.size()));
        int action = random.nextInt(10);
        if (action < 4) {
            return new Request.SucceedCallback(id, random.nextBoolean() ? "{\"approved\":true}" : "7");
        }
        if (action < 7) {
            return new Request.FailCallback(id, new ErrorInfo("com.example.Rejected", "no", null));
        }
        return new Request.HeartbeatCallback(id);
    }

    private String newCallbackId() {
        return callbackPrefix + "-" + nextCallback++;
    }

    /** An execution of the run, mostly a running one when {@code preferRunning}. */
    private int pickExecution(Random random, boolean preferRunning) {
        int count = reference.executionCount();
        if (preferRunning && random.nextInt(5) != 0) {
            List<Integer> running = IntStream.range(0, count).filter(this::running).boxed().toList();
            if (!running.isEmpty()) {
                return running.get(random.nextInt(running.size()));
            }
        }
        return random.nextInt(count);
    }

    private boolean child(int execution) {
        return reference.store().execution(reference.executionId(execution)).orElseThrow().parentExecutionId()
                != null;
    }

    private boolean running(int execution) {
        return reference.store().execution(reference.executionId(execution)).orElseThrow().status()
                == ExecutionStatus.RUNNING;
    }
}
