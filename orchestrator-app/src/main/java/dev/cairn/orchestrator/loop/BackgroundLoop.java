package dev.cairn.orchestrator.loop;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A background thread that runs passes until the application context stops: each pass says how long to wait
 * before the next one, and a {@link Wakeup} cuts the wait short. A pass that throws is logged and retried
 * after the idle interval, so a database outage does not end the loop.
 */
public abstract class BackgroundLoop implements SmartLifecycle {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String name;
    private final Wakeup wakeup;
    private volatile boolean running;
    private volatile long lastPassNanos = System.nanoTime();
    private Thread thread;

    protected BackgroundLoop(String name, Wakeup wakeup) {
        this.name = name;
        this.wakeup = wakeup;
    }

    /**
     * Does one pass of work.
     *
     * @return how long to wait before the next pass ({@link Duration#ZERO} to go on at once)
     */
    protected abstract Duration runOnce();

    /** How long to wait after a pass that failed. */
    protected abstract Duration idleInterval();

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        lastPassNanos = System.nanoTime();
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
        log.info("{} started", name);
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            wakeup.signal();
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
            log.info("{} stopped", name);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }

    /** How long ago the last pass completed without error (or the loop started, before its first pass). */
    public Duration sinceLastPass() {
        return Duration.ofNanos(System.nanoTime() - lastPassNanos);
    }

    protected boolean stillRunning() {
        return running;
    }

    private void loop() {
        while (running) {
            Duration pause;
            try {
                pause = runOnce();
                lastPassNanos = System.nanoTime();
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("{} pass failed, retrying in {}: {}", name, idleInterval(), e.toString());
                log.debug("{} failure", name, e);
                pause = idleInterval();
            }
            if (!running) {
                return;
            }
            if (pause.isZero() || pause.isNegative()) {
                continue;
            }
            try {
                wakeup.await(pause);
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
                Thread.interrupted();
            }
        }
    }
}
