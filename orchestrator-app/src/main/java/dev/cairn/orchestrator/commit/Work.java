package dev.cairn.orchestrator.commit;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One job of a {@link GroupCommit}: its statement(s), run on the connection given, in autocommit or inside a
 * transaction. Written alone in autocommit, it must write with ONE statement, so that a {@link SQLException} it
 * throws means that nothing of it was written.
 *
 * @param <R> what its statement answers (null allowed, e.g. when a fenced statement wrote nothing)
 */
@FunctionalInterface
public interface Work<R> {

    R run(Connection connection) throws SQLException;

    /**
     * How this job can be written with other jobs of the same {@link CombineKind} in one statement; null when it is
     * always written by {@link #run} alone.
     */
    default Combinable<?, R> combinable() {
        return null;
    }

    /**
     * Jobs with equal keys must be written in the order they were queued (e.g. one execution's); null when this job
     * must keep its place among all others.
     */
    default Object sequenceKey() {
        return null;
    }
}
