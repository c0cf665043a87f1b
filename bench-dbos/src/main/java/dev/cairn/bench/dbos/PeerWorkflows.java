package dev.cairn.bench.dbos;

/**
 * The bench's workflows as DBOS runs them: the same shapes as the Cairn worker's {@code bench-steps},
 * {@code bench-sequential} and {@code bench-first-step}, each step trivial.
 */
public interface PeerWorkflows {

    /** {@code steps} trivial steps one after another; answers the sum of their results. */
    int steps(int steps);

    /** {@code steps} trivial steps; answers how long each step call took, in microseconds. */
    long[] sequential(int steps);

    /** One step that answers {@link System#nanoTime()} when its body ran. */
    long firstStep();
}
