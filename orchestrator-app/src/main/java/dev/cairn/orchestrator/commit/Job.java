package dev.cairn.orchestrator.commit;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One queued {@link Work} and, once written, its {@link Outcome}: the first outcome given to it is final. Inside a
 * transaction its result is held back ({@link #ran}) until the commit ({@link #committed}).
 */
final class Job<R> {

    final Work<R> work;
    final Caller caller;
    private Outcome<R> outcome;
    private R ran;

    Job(Work<R> work, Caller caller) {
        this.work = work;
        this.caller = caller;
    }

    /** Runs its own statement(s) and holds the result until the commit. */
    void run(Connection connection) throws SQLException {
        ran(work.run(connection));
    }

    /** Its statement ran (inside a transaction not committed yet) and answered {@code result}. */
    synchronized void ran(R result) {
        ran = result;
    }

    /** Its transaction committed: its held result is its outcome. */
    synchronized void committed() {
        settle(new Outcome.Written<>(ran));
    }

    /** Written alone, in autocommit: {@code result} is its outcome. */
    synchronized void written(R result) {
        settle(new Outcome.Written<>(result));
    }

    synchronized void failed(RuntimeException e) {
        settle(new Outcome.Failed<>(e));
    }

    synchronized void unknown(WriteOutcomeUnknownException e) {
        settle(new Outcome.Unknown<>(e));
    }

    synchronized void defect(Error e) {
        settle(new Outcome.Defect<>(e));
    }

    /** Its outcome is final: tells its caller (under the group commit's lock). */
    void release() {
        synchronized (this) {
            settle(new Outcome.Failed<>(new IllegalStateException("the request was not written")));
        }
        caller.released();
    }

    synchronized Outcome<R> outcome() {
        return outcome;
    }

    private void settle(Outcome<R> settled) {
        if (outcome == null) {
            outcome = settled;
        }
    }
}
