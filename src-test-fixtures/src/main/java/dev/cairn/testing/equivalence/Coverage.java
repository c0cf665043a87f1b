package dev.cairn.testing.equivalence;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the tries of a property run reached, counted in tries: the kinds of commands, the answers the stores gave,
 * and the statuses executions and operations (by type and subtype) took. A generator that stops reaching some of
 * them (a timer that never fires, a callback never known) shows here before it silently tests less.
 */
public final class Coverage {

    private final Map<String, Integer> tries = new TreeMap<>();
    private Set<String> current = new HashSet<>();

    void reached(String label) {
        current.add(label);
    }

    /** Ends a try: what it reached counts once. */
    void endTry() {
        current.forEach(label -> tries.merge(label, 1, Integer::sum));
        current = new HashSet<>();
    }

    /** In how many tries each label was reached. */
    public Map<String, Integer> tries() {
        return Map.copyOf(tries);
    }

    @Override
    public String toString() {
        return tries.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining("\n  ", "  ", ""));
    }
}
