package dev.cairn.worker.invocation;

import dev.cairn.protocol.Heartbeat;
import dev.cairn.protocol.Invocation;
import dev.cairn.worker.replay.InvocationRun;
import dev.cairn.worker.replay.ReplayEngine;
import dev.cairn.worker.replay.RunResult;
import dev.cairn.worker.replay.WorkflowBinding;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs invocations on at most {@code capacity} threads at once, remembers which run (for heartbeats) and aborts
 * them when the worker stops.
 */
public final class InvocationPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InvocationPool.class);

    private final ReplayEngine engine;
    private final int capacity;
    private final Semaphore slots;
    private final ExecutorService threads;
    private final Map<String, InvocationRun> running = new ConcurrentHashMap<>();
    private final Duration admissionWait;
    private volatile boolean accepting = true;

    public InvocationPool(ReplayEngine engine, int capacity) {
        this(engine, capacity, DEFAULT_ADMISSION_WAIT);
    }

    /**
     * @param admissionWait how long an invocation that finds every slot taken waits for one before it is refused
     */
    public InvocationPool(ReplayEngine engine, int capacity, Duration admissionWait) {
        if (admissionWait.isNegative()) {
            throw new IllegalArgumentException("the admission wait must not be negative, was " + admissionWait);
        }
        this.admissionWait = admissionWait;
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.engine = engine;
        this.capacity = capacity;
        this.slots = new Semaphore(capacity);
        this.threads = Executors.newFixedThreadPool(capacity, namedThreads("cairn-invocation-"));
    }

    /**
     * How long an invocation that finds every slot taken waits for one, unless configured. An invocation's slot is freed just after its
     * completion is acknowledged, and the orchestrator counts the slot free as soon as it committed the completion:
     * the next invocation it sends can arrive a moment before the slot is freed. Refused, it would wait for the
     * orchestrator's dispatch retry delay (500 ms by default) instead of these few milliseconds.
     */
    public static final Duration DEFAULT_ADMISSION_WAIT = Duration.ofMillis(200);

    /** Starts running the invocation unless the pool is full (for the admission wait) or stopping. */
    public Admission submit(Invocation invocation, WorkflowBinding workflow) {
        return submit(invocation, workflow, admissionWait);
    }

    /** How long an invocation that finds every slot taken waits for one (the invocations of a batch share it). */
    public Duration admissionWait() {
        return admissionWait;
    }

    /**
     * Starts running the invocation unless the pool is full for {@code wait} (zero: not at all) or stopping. The
     * invocations of one request share one admission wait, so a full pool refuses the rest of a batch at once.
     */
    public Admission submit(Invocation invocation, WorkflowBinding workflow, Duration wait) {
        if (!accepting) {
            return Admission.STOPPED;
        }
        if (running.containsKey(invocation.invocationToken())) {
            return Admission.ALREADY_RUNNING;
        }
        if (!acquireSlot(wait)) {
            return Admission.FULL;
        }
        InvocationRun run = engine.prepare(invocation, workflow);
        if (running.putIfAbsent(invocation.invocationToken(), run) != null) {
            slots.release();
            return Admission.ALREADY_RUNNING;
        }
        try {
            threads.execute(() -> runAndRelease(run));
        } catch (RuntimeException e) {
            running.remove(run.invocationToken());
            slots.release();
            return Admission.STOPPED;
        }
        return Admission.ACCEPTED;
    }

    private boolean acquireSlot(Duration wait) {
        if (slots.tryAcquire()) {
            return true;
        }
        if (wait.isZero() || wait.isNegative()) {
            return false;
        }
        try {
            return slots.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void runAndRelease(InvocationRun run) {
        try {
            RunResult result = run.run();
            log.debug("Invocation of execution {} ended {}", run.executionId(), result.outcome());
        } catch (RuntimeException | Error e) {
            log.error("Invocation of execution {} crashed", run.executionId(), e);
        } finally {
            running.remove(run.invocationToken());
            slots.release();
        }
    }

    /** Invocations waiting for a slot right now (an estimate, for monitoring and tests). */
    public int waitingForSlot() {
        return slots.getQueueLength();
    }

    /** The invocations running now, whose leases heartbeats extend. */
    public List<Heartbeat.InvocationRef> running() {
        return running.values().stream()
                .map(run -> new Heartbeat.InvocationRef(run.executionId(), run.invocationToken()))
                .toList();
    }

    public int inFlight() {
        return running.size();
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Refuses new invocations and aborts the running ones: they stop writing, as if the process had died.
     *
     * @return how many were aborted
     */
    public int stop() {
        accepting = false;
        List<InvocationRun> runs = List.copyOf(running.values());
        runs.forEach(InvocationRun::abort);
        return runs.size();
    }

    @Override
    public void close() {
        stop();
        threads.shutdown();
        try {
            if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            threads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    static ThreadFactory namedThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
