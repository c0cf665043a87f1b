package dev.cairn.orchestrator.commit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a run of jobs (as {@link BatchOrder#runEnd} delimits it) with their {@link CombineKind}'s one statement and
 * holds each job's own result until the commit.
 */
final class CombinedRun {

    private CombinedRun() {
    }

    /**
     * @throws IllegalStateException when the kind answers a number of results other than the number of jobs (its
     *     statement is then treated as failed: the batch is written again with one statement per job)
     */
    static void write(Connection connection, List<Job<?>> run) throws SQLException {
        write(connection, run.get(0).work.combinable().kind(), run);
    }

    /**
     * Every job of {@code run} names {@code kind} itself (same object, see {@link BatchOrder#runEnd}), so its
     * combinable's part is a {@code P} and its result an {@code R}: the casts below only restore what the kind's own
     * type says.
     */
    @SuppressWarnings("unchecked")
    private static <P, R> void write(Connection connection, CombineKind<P, R> kind, List<Job<?>> run)
            throws SQLException {
        List<P> parts = new ArrayList<>(run.size());
        List<Job<R>> jobs = new ArrayList<>(run.size());
        for (Job<?> job : run) {
            Combinable<?, ?> combinable = job.work.combinable();
            if (combinable.kind() != kind) {
                throw new IllegalArgumentException("a combined run mixes kinds of statement");
            }
            parts.add(((Combinable<P, R>) combinable).part());
            jobs.add((Job<R>) job);
        }
        List<R> results = kind.writeAll(connection, parts);
        if (results.size() != jobs.size()) {
            throw new IllegalStateException("a combined statement answered " + results.size() + " results for "
                    + jobs.size() + " jobs");
        }
        for (int i = 0; i < jobs.size(); i++) {
            jobs.get(i).ran(results.get(i));
        }
    }
}
