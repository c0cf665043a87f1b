package dev.cairn.api;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Randomization applied to a computed retry delay. */
public enum Jitter {
    /** The delay as computed. */
    NONE {
        @Override
        public Duration apply(Duration delay) {
            return delay;
        }
    },
    /** A uniformly random delay between zero and the computed one. */
    FULL {
        @Override
        public Duration apply(Duration delay) {
            return Duration.ofNanos(ThreadLocalRandom.current().nextLong(delay.toNanos() + 1));
        }
    },
    /** A uniformly random delay between half the computed one and all of it. */
    HALF {
        @Override
        public Duration apply(Duration delay) {
            long half = delay.toNanos() / 2;
            return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(delay.toNanos() - half + 1));
        }
    };

    public abstract Duration apply(Duration delay);
}
