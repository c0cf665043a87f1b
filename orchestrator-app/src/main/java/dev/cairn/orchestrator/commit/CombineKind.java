package dev.cairn.orchestrator.commit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A kind of job that several can be written in ONE statement: it owns that statement. {@link GroupCommit} hands it
 * consecutive jobs of a batch that name this very kind (compared by identity) and have distinct
 * {@link Combinable#key()}s, and takes each job's result from the list it answers.
 *
 * @param <P> what it writes of each job ({@link Combinable#part()})
 * @param <R> each job's result
 */
@FunctionalInterface
public interface CombineKind<P, R> {

    /**
     * Writes the parts in one statement on the connection given (inside a transaction).
     *
     * @return each part's result, in the order of {@code parts} (so exactly as many; null allowed)
     */
    List<R> writeAll(Connection connection, List<P> parts) throws SQLException;
}
