package dev.cairn.bench.dbos;

import dev.dbos.transact.DBOS;
import dev.dbos.transact.workflow.WorkflowHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load an application puts on DBOS in its own JVM: it starts workflows with {@code startWorkflow} and waits for
 * each result with {@code getResult}, as a service that needs the outcome does. Every figure is measured by the
 * caller, in this JVM.
 */
final class PeerLoad {

    private final DBOS dbos;
    private final PeerWorkflows workflows;

    PeerLoad(DBOS dbos, PeerWorkflows workflows) {
        this.dbos = dbos;
        this.workflows = workflows;
    }

    /** What a closed loop measured: the latency of each execution (start → result) and the loop's wall time. */
    record ClosedLoop(double[] latencyMs, long wallNanos, long failed, long stepsDone) {
    }

    /**
     * {@code total} executions of {@code bench-steps}, {@code concurrency} at a time: each of {@code concurrency}
     * threads starts one and waits for its result, then starts the next.
     */
    ClosedLoop closedLoop(int total, int concurrency, int steps) throws Exception {
        double[] latency = new double[total];
        AtomicInteger next = new AtomicInteger();
        AtomicLong failed = new AtomicLong();
        AtomicLong stepsDone = new AtomicLong();
        int expected = steps * (steps - 1) / 2;
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                futures.add(pool.submit(() -> {
                    int k;
                    while ((k = next.getAndIncrement()) < total) {
                        long s = System.nanoTime();
                        WorkflowHandle<Integer, RuntimeException> h = dbos.startWorkflow(() -> workflows.steps(steps));
                        Integer sum = h.getResult();
                        latency[k] = (System.nanoTime() - s) / 1e6;
                        if (sum == null || sum != expected) {
                            failed.incrementAndGet();
                        } else {
                            stepsDone.addAndGet(steps);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new ClosedLoop(latency, System.nanoTime() - t0, failed.get(), stepsDone.get());
    }

    /** One execution of {@code bench-sequential}: the duration of each of its steps, in microseconds. */
    long[] sequential(int steps) {
        WorkflowHandle<long[], RuntimeException> h = dbos.startWorkflow(() -> workflows.sequential(steps));
        return h.getResult();
    }

    /**
     * {@code samples} executions of {@code bench-first-step}, one after another, each {@code gapMs} after the last
     * one ended (an idle system): for each, milliseconds from just before {@code startWorkflow} until the body of its
     * first step ran.
     */
    double[] firstStep(int samples, long gapMs) throws InterruptedException {
        double[] ms = new double[samples];
        for (int k = 0; k < samples; k++) {
            Thread.sleep(gapMs);
            long t0 = System.nanoTime();
            WorkflowHandle<Long, RuntimeException> h = dbos.startWorkflow(workflows::firstStep);
            ms[k] = (h.getResult() - t0) / 1e6;
        }
        return ms;
    }
}
