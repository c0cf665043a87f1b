package dev.cairn.orchestrator.commit;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * When each write in progress started ({@link System#nanoTime()}), so that {@link GroupCommit#longestWrite()} can tell
 * how long the oldest has been running. Not thread-safe: guarded by the group commit's lock.
 */
final class WritesInProgress {

    private final Map<Object, Long> started = new HashMap<>();

    /** A write starts; the token answered ends it. */
    Object start() {
        Object write = new Object();
        started.put(write, System.nanoTime());
        return write;
    }

    void end(Object write) {
        started.remove(write);
    }

    /** How long the oldest write in progress has been running; zero when none is. */
    Duration longest() {
        long now = System.nanoTime();
        long oldest = now;
        for (long at : started.values()) {
            oldest = Math.min(oldest, at);
        }
        return Duration.ofNanos(now - oldest);
    }
}
