package dev.cairn.it.apps;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the test workflows did in the outside world, shared by every worker context of a test so that a step
 * that ran on a worker that was then stopped still counts.
 */
public final class SideEffects {

    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final CountDownLatch gate = new CountDownLatch(1);
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger maxActive = new AtomicInteger();
    private final CountDownLatch atGate = new CountDownLatch(1);
    private final Map<String, CountDownLatch> releases = new ConcurrentHashMap<>();

    /** Records that {@code what} happened in execution {@code executionId}; returns how often it has. */
    public int record(String executionId, String what) {
        return counts.computeIfAbsent(executionId + "/" + what, k -> new AtomicInteger()).incrementAndGet();
    }

    public int count(String executionId, String what) {
        AtomicInteger n = counts.get(executionId + "/" + what);
        return n == null ? 0 : n.get();
    }

    /** Something began that stays open until {@link #leave()}; tracks how many are open at once. */
    public void enter() {
        maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
    }

    public void leave() {
        active.decrementAndGet();
    }

    /** The most that were open at once. */
    public int maxActive() {
        return maxActive.get();
    }

    /** Blocks a step until the test opens the gate. */
    public void passGate() throws InterruptedException {
        atGate.countDown();
        if (!gate.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never opened the gate");
        }
    }

    public boolean awaitSomeoneAtGate() throws InterruptedException {
        return atGate.await(30, TimeUnit.SECONDS);
    }

    public void openGate() {
        gate.countDown();
    }

    /** Blocks a step of execution {@code executionId} until the test calls {@link #release(String)} for it. */
    public void awaitRelease(String executionId) throws InterruptedException {
        if (!releaseOf(executionId).await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never released execution " + executionId);
        }
    }

    public void release(String executionId) {
        releaseOf(executionId).countDown();
    }

    private CountDownLatch releaseOf(String executionId) {
        return releases.computeIfAbsent(executionId, k -> new CountDownLatch(1));
    }
}
