package dev.cairn.orchestrator.waiting;

import dev.cairn.orchestrator.loop.BackgroundLoop;
import dev.cairn.orchestrator.loop.Wakeup;
import dev.cairn.orchestrator.notify.ClosedExecutions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The requests of this replica that wait for an execution to close, parked by execution id without a thread each.
 * A waiter is answered with a fresh read when {@link ClosedExecutions} announces its execution (a close committed in
 * this replica, or a notification from another), when its wait ends, or when a periodic look finds its execution
 * closed (an announcement was lost); reads run on a small pool of answering threads. A request that waits longer
 * than {@code heartbeat-interval} gets its status and headers, then a space every interval (see {@link Waiter}). At
 * most {@code cairn.orchestrator.wait.max-waiters} are parked at once ({@link WaitersFullException} past it); a
 * request whose client goes away (noticed at the next beat), or that fails, leaves. On shutdown every parked request
 * is answered as its execution then is. {@code cairn.executions.waiters} gauges how many are parked.
 */
@Component
public class ExecutionWaiters implements SmartLifecycle, ClosedExecutions.Listener {

    private static final Logger log = LoggerFactory.getLogger(ExecutionWaiters.class);
    /** The request's own timeout comes this long after its deadline: only a stuck answer ever meets it. */
    private static final Duration REQUEST_TIMEOUT_MARGIN = Duration.ofSeconds(5);
    private static final int ANSWERING_THREADS = 2;

    private final ConcurrentHashMap<UUID, Set<Waiter<?>>> parked = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final WaitProperties properties;
    private final StillRunning stillRunning;
    private final ScheduledThreadPoolExecutor deadlines;
    private final ThreadPoolExecutor answers;
    private final Wakeup recheckNow = new Wakeup();
    private final Recheck recheck;
    private volatile boolean running;
    private volatile boolean stopped;

    public ExecutionWaiters(WaitProperties properties, ClosedExecutions closed, StillRunning stillRunning,
            MeterRegistry registry) {
        this.properties = properties;
        this.stillRunning = stillRunning;
        this.deadlines = new ScheduledThreadPoolExecutor(1, daemon("cairn-wait-deadlines"));
        this.deadlines.setRemoveOnCancelPolicy(true);
        this.answers = new ThreadPoolExecutor(ANSWERING_THREADS, ANSWERING_THREADS, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), daemon("cairn-wait-answer"));
        this.recheck = new Recheck();
        Gauge.builder("cairn.executions.waiters", count, AtomicInteger::get)
                .description("Requests parked in this replica until an execution closes or their wait ends")
                .register(registry);
        closed.listen(this);
    }

    /** The longest wait a request gets. */
    public Duration maxWait() {
        return properties.max();
    }

    /**
     * Takes a place for a request that is going to wait, before anything is done for it (a start-and-wait starts
     * nothing when there is no place). Close the slot when it was not used to {@linkplain Slot#park park}.
     *
     * @throws WaitersFullException when {@code max-waiters} requests are parked already, or the replica is stopping
     */
    public Slot reserve() {
        if (stopped) {
            throw new WaitersFullException("this orchestrator is shutting down; ask again",
                    properties.retryAfterSeconds());
        }
        if (count.incrementAndGet() > properties.maxWaiters()) {
            count.decrementAndGet();
            throw new WaitersFullException("this orchestrator has " + properties.maxWaiters()
                    + " waiting requests already (cairn.orchestrator.wait.max-waiters); ask again later, or read"
                    + " the execution without waiting", properties.retryAfterSeconds());
        }
        return new Slot();
    }

    /** A place taken for one waiting request: used by {@link #park}, or given back by {@link #close}. */
    public final class Slot implements AutoCloseable {

        private boolean used;

        private Slot() {
        }

        /**
         * Parks {@code request} (starts its asynchronous mode) until execution {@code executionId} closes or
         * {@code wait} passed, then answers it with {@code answer} (read then), written by {@code writer} on the thread
         * that answers. If it waits longer than {@code heartbeat-interval}, {@code head} sets the status and headers of
         * the answer on the response, which are sent then (see {@link Waiter}). The caller reads the execution once
         * more after this, and {@linkplain Waiter#answer answers} at once if it closed meanwhile: a close committed
         * before the waiter was parked announced nothing to it (a new execution parked before its first invocation is
         * sent needs no such read). The handler then returns without an answer of its own.
         */
        public <T> Waiter<T> park(UUID executionId, Duration wait, Callable<T> answer, HttpServletRequest request,
                AnswerWriter<T> writer, Consumer<HttpServletResponse> head) {
            if (used) {
                throw new IllegalStateException("this slot was used already");
            }
            used = true;
            return parkIn(executionId, wait, answer, request, writer, head);
        }

        /** Gives the place back unless it was used to park. */
        @Override
        public void close() {
            if (!used) {
                used = true;
                count.decrementAndGet();
            }
        }
    }

    private <T> Waiter<T> parkIn(UUID executionId, Duration wait, Callable<T> answer, HttpServletRequest request,
            AnswerWriter<T> writer, Consumer<HttpServletResponse> head) {
        AsyncContext async = request.startAsync();
        async.setTimeout(wait.plus(REQUEST_TIMEOUT_MARGIN).toMillis());
        Waiter<T> waiter = new Waiter<>(executionId, async, answer, writer, head, this);
        parked.compute(executionId, (id, waiters) -> {
            Set<Waiter<?>> set = waiters == null ? new HashSet<>() : waiters;
            set.add(waiter);
            return set;
        });
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                waiter.abandon();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                waiter.timedOut();
            }

            @Override
            public void onError(AsyncEvent event) {
                waiter.failedInContainer();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // started once, here
            }
        });
        long beat = properties.heartbeatInterval().toNanos();
        waiter.scheduled(deadlines.schedule(waiter::wake, wait.toNanos(), TimeUnit.NANOSECONDS),
                deadlines.scheduleAtFixedRate(waiter::beat, beat, beat, TimeUnit.NANOSECONDS));
        return waiter;
    }

    /** How many requests are parked now. */
    public int parked() {
        return count.get();
    }

    @Override
    public void closed(Collection<UUID> executionIds) {
        for (UUID id : executionIds) {
            Set<Waiter<?>> waiters = parked.remove(id);
            if (waiters != null) {
                waiters.forEach(Waiter::wake);
            }
        }
    }

    @Override
    public void mayHaveMissed() {
        recheckNow.signal();
    }

    void leave(Waiter<?> waiter) {
        parked.computeIfPresent(waiter.executionId(), (id, waiters) -> {
            waiters.remove(waiter);
            return waiters.isEmpty() ? null : waiters;
        });
        count.decrementAndGet();
    }

    void answerLater(Waiter<?> waiter) {
        try {
            answers.execute(waiter::answerNow);
        } catch (RuntimeException rejected) {
            // stopping: answer on this thread
            waiter.answerNow();
        }
    }

    /** Finds the parked executions that closed without an announcement reaching this replica, and wakes theirs. */
    void recheck() {
        List<UUID> ids = new ArrayList<>(parked.keySet());
        if (ids.isEmpty()) {
            return;
        }
        Set<UUID> open = stillRunning.among(ids);
        List<UUID> closed = ids.stream().filter(id -> !open.contains(id)).toList();
        if (!closed.isEmpty()) {
            log.debug("{} executions waited for closed unannounced", closed.size());
            closed(closed);
        }
    }

    @Override
    public void start() {
        recheck.start();
        running = true;
    }

    /** Answers every parked request (before the web server's graceful shutdown waits for them). */
    @Override
    public void stop() {
        stopped = true;
        running = false;
        recheck.stop();
        closed(new ArrayList<>(parked.keySet()));
        answers.shutdown();
        try {
            if (!answers.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("Parked requests still unanswered at shutdown: {}", count.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deadlines.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server's graceful shutdown, which would otherwise wait for the parked requests. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The periodic look at the parked executions, sooner when notifications may have been missed. */
    private final class Recheck extends BackgroundLoop {

        Recheck() {
            super("cairn-wait-recheck", recheckNow);
        }

        @Override
        protected Duration runOnce() {
            recheck();
            return properties.recheckInterval();
        }

        @Override
        protected Duration idleInterval() {
            return properties.recheckInterval();
        }
    }
}
