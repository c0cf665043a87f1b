package dev.cairn.testing.equivalence;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * One request of a generated sequence before it is made concrete: what kind of request, and the seed of every
 * choice it makes when it is made concrete against the store's state at that point ({@link RequestPlanner}). A
 * sequence of commands stays meaningful when commands are left out, which is what lets a failing sequence shrink.
 */
public record Command(Kind kind, long seed) {

    /** The kinds of requests, with how often a sequence has each. */
    public enum Kind {
        /** Another execution starts. */
        START(3),
        /** The dispatcher claims an execution. */
        INVOKE(12),
        /** The worker holding the current token checkpoints updates. */
        CHECKPOINT(30),
        /** The worker holding the current token ends its invocation. */
        COMPLETE(10),
        /** A request sent before is sent again, as after a lost answer. */
        REPEAT(10),
        /** A worker whose token is no longer current writes. */
        STALE(5),
        /** Time moves on and due timers fire. */
        ADVANCE(12),
        /** The outside world completes, fails or heartbeats a callback. */
        CALLBACK(12),
        /** A client stops an execution. */
        STOP(4);

        private final int weight;

        Kind(int weight) {
            this.weight = weight;
        }

        static Kind pick(Random random) {
            int total = 0;
            for (Kind k : values()) {
                total += k.weight;
            }
            int n = random.nextInt(total);
            for (Kind k : values()) {
                n -= k.weight;
                if (n < 0) {
                    return k;
                }
            }
            throw new IllegalStateException();
        }
    }

    /** A sequence of 1 to {@code maxLength} commands drawn from {@code seed}. */
    public static List<Command> sequence(long seed, int maxLength) {
        Random random = new Random(seed);
        int length = 1 + random.nextInt(maxLength);
        return IntStream.range(0, length)
                .mapToObj(i -> new Command(Kind.pick(random), random.nextLong()))
                .toList();
    }
}
