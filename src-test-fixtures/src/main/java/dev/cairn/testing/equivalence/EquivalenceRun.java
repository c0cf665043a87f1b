package dev.cairn.testing.equivalence;

import dev.cairn.testing.DurableStore;
import dev.cairn.testing.ExecutionStatus;
import dev.cairn.testing.VirtualClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One run of a sequence of commands against two stores: each command becomes a request (planned on the reference
 * store's state), goes to both stores, and after each request the answers and what the stores hold must be the
 * same. At the end the run stops whatever it left running, so that a store shared by many runs holds nothing ready.
 */
public final class EquivalenceRun {

    /** The workflow both stores know; chained invokes start it too. */
    public static final String WORKFLOW = "contract-workflow";

    private final Replica reference;
    private final Replica candidate;
    private final RequestPlanner planner;
    private final List<String> trace = new ArrayList<>();
    private final Coverage coverage;

    private EquivalenceRun(Replica reference, Replica candidate, Coverage coverage) {
        this.reference = reference;
        this.candidate = candidate;
        this.coverage = coverage;
        this.planner = new RequestPlanner(reference, "cb-" + UUID.randomUUID());
    }

    /**
     * Runs {@code commands} against two stores whose clocks stand at the same instant.
     *
     * @return the first difference, with the requests that led to it; empty when there was none
     */
    public static Optional<Divergence> run(List<Command> commands, DurableStore reference,
            VirtualClock referenceClock, DurableStore candidate, VirtualClock candidateClock, Coverage coverage) {
        if (!referenceClock.instant().equals(candidateClock.instant())) {
            throw new IllegalArgumentException("the clocks differ: " + referenceClock.instant() + " and "
                    + candidateClock.instant());
        }
        EquivalenceRun run = new EquivalenceRun(new Replica(reference, referenceClock, WORKFLOW),
                new Replica(candidate, candidateClock, WORKFLOW), coverage);
        try {
            Optional<Divergence> divergence = run.step(new Request.Start());
            for (int i = 0; i < commands.size() && divergence.isEmpty(); i++) {
                coverage.reached("command " + commands.get(i).kind());
                divergence = run.step(run.planner.plan(commands.get(i)));
            }
            return divergence;
        } finally {
            coverage.endTry();
            run.stopWhatRuns(run.candidate);
        }
    }

    private Optional<Divergence> step(Request request) {
        String expected;
        String actual;
        try {
            expected = reference.apply(request);
        } catch (RuntimeException e) {
            trace.add(request.toString());
            return Optional.of(new Divergence(List.copyOf(trace), "the reference store threw", stackTrace(e), ""));
        }
        try {
            actual = candidate.apply(request);
        } catch (RuntimeException e) {
            trace.add(request.toString());
            return Optional.of(new Divergence(List.copyOf(trace), "the candidate store threw", expected,
                    stackTrace(e)));
        }
        trace.add(request + "\n    → " + expected.replace("\n", "\n  "));
        if (!expected.equals(actual)) {
            return Optional.of(new Divergence(List.copyOf(trace), "the answers differ", expected, actual));
        }
        planner.sent(request, expected);
        coverage.reached("answer " + expected.lines().findFirst().orElse("").replaceAll(" [te]\\d+$", ""));
        String held = reference.describe();
        reference.statuses().forEach(coverage::reached);
        String candidateHeld = candidate.describe();
        if (!held.equals(candidateHeld)) {
            return Optional.of(new Divergence(List.copyOf(trace), "what the stores hold differs", held,
                    candidateHeld));
        }
        return Optional.empty();
    }

    private static String stackTrace(RuntimeException e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    private void stopWhatRuns(Replica replica) {
        for (int i = 0; i < replica.executionCount(); i++) {
            String id = replica.executionId(i);
            try {
                if (replica.store().execution(id).map(e -> e.status() == ExecutionStatus.RUNNING).orElse(false)) {
                    replica.store().stop(id);
                }
            } catch (RuntimeException e) {
                // a store that cannot stop leaves the execution for the next runs to ignore
            }
        }
    }

    /**
     * The first difference between the stores.
     *
     * @param trace the requests sent, each with the reference store's answer; the last one made the difference
     * @param what whether the answers or the stores' contents differ
     * @param reference what the reference store answered or held
     * @param candidate what the other store answered or held
     */
    public record Divergence(List<String> trace, String what, String reference, String candidate) {

        /** The trace and the two sides, marking the first line that differs. */
        public String describe() {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < trace.size(); i++) {
                s.append(String.format("%3d. %s%n", i + 1, trace.get(i)));
            }
            s.append(what).append(" after the last request; first differing line:\n");
            String[] r = reference.split("\n", -1);
            String[] c = candidate.split("\n", -1);
            for (int i = 0; i < Math.max(r.length, c.length); i++) {
                String a = i < r.length ? r[i] : "<none>";
                String b = i < c.length ? c[i] : "<none>";
                if (!a.equals(b)) {
                    s.append("  reference: ").append(a).append('\n').append("  candidate: ").append(b).append('\n');
                    break;
                }
            }
            s.append("reference:\n").append(reference).append("\ncandidate:\n").append(candidate).append('\n');
            return s.toString();
        }
    }
}
