package dev.cairn.worker.sample;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Holds {@link GatedWorkflow} in its step until a test opens it. */
public class Gate {

    private final CountDownLatch open = new CountDownLatch(1);
    private final CountDownLatch reached = new CountDownLatch(1);

    void pass() throws InterruptedException {
        reached.countDown();
        open.await();
    }

    public boolean awaitReached() throws InterruptedException {
        return reached.await(10, TimeUnit.SECONDS);
    }

    public void open() {
        open.countDown();
    }
}
