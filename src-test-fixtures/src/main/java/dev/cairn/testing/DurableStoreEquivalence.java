package dev.cairn.testing;

import static org.assertj.core.api.Assertions.fail;

import dev.cairn.testing.equivalence.Command;
import dev.cairn.testing.equivalence.Coverage;
import dev.cairn.testing.equivalence.EquivalenceRun;
import dev.cairn.testing.equivalence.EquivalenceRun.Divergence;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A property: whatever a worker, the dispatcher, the timer poller and clients send, in whatever order — checkpoints
 * and completions of steps (START, SUCCEED, FAIL, RETRY), waits, callbacks, contexts (START, SUCCEED, FAIL, CANCEL),
 * condition polls and chained invokes; the same request again, as after a lost answer; writes with stale tokens;
 * time moving on and timers firing; callbacks completed, failed, heart-beaten and timing out; stops — another store
 * answers and holds exactly what {@link InMemoryDurableStore} answers and holds, after every request.
 *
 * <p>Each try draws a random sequence of up to {@code cairn.equivalence.requests} (30) requests and applies it to a
 * fresh in-memory store and to the store under test ({@link #candidate()}), starting new executions (so a store
 * shared by the tries needs no reset); {@code cairn.equivalence.tries} (150) tries run. Compared after each
 * request: the answer (ok, fenced, unknown or closed callback, invalid, execution closed, an invocation and the log
 * it carries), and for every execution of the try its status, result, error, timestamps and parent, its operations
 * (every field, timestamps too: both stores run on virtual clocks moved together) and its history's event types and
 * operation ids in order. A difference fails the test with the shortest sequence found that still shows one (the
 * sequence shrinks by leaving requests out) and the seed that reproduces it ({@code -Dcairn.equivalence.seed=}).
 */
public abstract class DurableStoreEquivalence {

    /** The store under test and the virtual clock it runs on. */
    public record Subject(DurableStore store, VirtualClock clock) {
    }

    private static final Logger log = LoggerFactory.getLogger(DurableStoreEquivalence.class);
    private static final int SHRINK_RUNS = 200;

    private final Coverage coverage = new Coverage();

    /**
     * The store to hold to the in-memory store, for one try: it knows the workflow {@link EquivalenceRun#WORKFLOW}
     * (version 1) and no workflow named {@code never-registered}, its clock is at a whole second, and its timers fire
     * only through {@link DurableStore#fireDueTimers}.
     */
    protected abstract Subject candidate();

    @Test
    void answersAndHoldsWhatTheInMemoryStoreDoesAfterEveryRequest() {
        String fixed = System.getProperty("cairn.equivalence.seed");
        long seed = fixed != null && !fixed.isBlank() ? Long.parseLong(fixed.trim()) : new SecureRandom().nextLong();
        int tries = Integer.getInteger("cairn.equivalence.tries", defaultTries());
        int requests = Integer.getInteger("cairn.equivalence.requests", 30);
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int i = 0; i < tries; i++) {
            long trySeed = i == 0 ? seed : seeds.nextLong();
            List<Command> commands = Command.sequence(trySeed, requests);
            Optional<Divergence> divergence = attempt(commands, coverage);
            if (divergence.isPresent()) {
                Shrunk shrunk = shrink(commands, divergence.get());
                fail("The stores differ (try " + (i + 1) + " of " + tries + ", seed " + trySeed + ": rerun with "
                        + "-Dcairn.equivalence.seed=" + trySeed + "; " + commands.size() + " requests, shrunk to "
                        + shrunk.commands().size() + " in " + shrunk.runs() + " runs)\n"
                        + shrunk.divergence().describe());
            }
        }
        log.info("{} tries of up to {} requests from seed {} reached (in that many tries):\n{}", tries, requests,
                seed, coverage);
        checkCoverage(coverage);
    }

    /** How many tries run when {@code cairn.equivalence.tries} is not set: 150. */
    protected int defaultTries() {
        return 150;
    }

    /**
     * Checks what the tries reached, after they all passed; by default nothing. Override it to require that the
     * requests went where they should (timers fired, callbacks timed out, stale tokens were fenced, …).
     */
    protected void checkCoverage(Coverage coverage) {
    }

    private Optional<Divergence> attempt(List<Command> commands, Coverage coverage) {
        Subject candidate = candidate();
        VirtualClock clock = new VirtualClock(candidate.clock().instant());
        InMemoryDurableStore reference = new InMemoryDurableStore(clock);
        reference.registerWorkflow(EquivalenceRun.WORKFLOW, "1");
        try {
            return EquivalenceRun.run(commands, reference, clock, candidate.store(), candidate.clock(), coverage);
        } catch (RuntimeException e) {
            return Optional.of(new Divergence(List.of(commands.toString()), "a store threw " + e, "", ""));
        }
    }

    private record Shrunk(List<Command> commands, Divergence divergence, int runs) {
    }

    /** Leaves out ever smaller runs of requests while the stores still differ. */
    private Shrunk shrink(List<Command> commands, Divergence divergence) {
        List<Command> current = commands;
        Divergence last = divergence;
        int runs = 0;
        for (int chunk = Math.max(1, current.size() / 2); chunk >= 1 && runs < SHRINK_RUNS; chunk /= 2) {
            int start = 0;
            while (start < current.size() && runs < SHRINK_RUNS) {
                List<Command> smaller = new ArrayList<>(current.subList(0, start));
                smaller.addAll(current.subList(Math.min(current.size(), start + chunk), current.size()));
                runs++;
                Optional<Divergence> still = attempt(smaller, new Coverage());
                if (still.isPresent()) {
                    current = smaller;
                    last = still.get();
                } else {
                    start += chunk;
                }
            }
        }
        return new Shrunk(current, last, runs);
    }
}
