package dev.cairn.testing;

import java.util.Optional;

/**
 * What {@link WorkflowReplayer} found: the current code replays the recording deterministically, or the first
 * divergence.
 *
 * @param divergence the first divergence, or null when the replay is deterministic
 * @param replayedOperations how many recorded operations the code asked for again
 */
public record ReplayReport(Divergence divergence, int replayedOperations) {

    /**
     * Where the code stopped following the recording.
     *
     * @param operationId the operation's id ({@code 2}, {@code 3-1}), null when the engine could not say
     * @param recorded what was recorded there ({@code STEP/Step 'charge'}), or {@code nothing}
     * @param requested what the code asked for there, or {@code nothing} (an operation was removed)
     */
    public record Divergence(String operationId, String recorded, String requested) {

        @Override
        public String toString() {
            return "Operation " + operationId + ": recorded " + recorded + ", code asked for " + requested;
        }
    }

    public boolean isDeterministic() {
        return divergence == null;
    }

    public Optional<Divergence> firstDivergence() {
        return Optional.ofNullable(divergence);
    }

    /** Throws an {@link AssertionError} naming the divergence, if any. */
    public void assertDeterministic() {
        if (divergence != null) {
            throw new AssertionError("The workflow does not replay its recorded execution: " + divergence);
        }
    }

    @Override
    public String toString() {
        return divergence == null ? "deterministic (" + replayedOperations + " operations replayed)"
                : "non-deterministic: " + divergence;
    }
}
