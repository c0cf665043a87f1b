package dev.cairn.orchestrator.commit;

import java.util.Objects;

/**
 * What became of one job of {@link GroupCommit#submitAll}; it matches what was committed.
 *
 * @param <R> the job's result
 */
public sealed interface Outcome<R> permits Outcome.Written, Outcome.Failed, Outcome.Unknown, Outcome.Defect {

    /** Its statement committed and answered {@code result} (null when, e.g., a fenced statement wrote nothing). */
    record Written<R>(R result) implements Outcome<R> {

        @Override
        public R get() {
            return result;
        }

        @Override
        public RuntimeException failure() {
            return null;
        }
    }

    /** Nothing of it was committed: its own exception (translated), or the one that failed its whole batch. */
    record Failed<R>(RuntimeException failure) implements Outcome<R> {

        public Failed {
            Objects.requireNonNull(failure, "failure");
        }

        @Override
        public R get() {
            throw failure;
        }
    }

    /** It may or may not have been committed (see {@link WriteOutcomeUnknownException}): the caller sends it again. */
    record Unknown<R>(WriteOutcomeUnknownException failure) implements Outcome<R> {

        public Unknown {
            Objects.requireNonNull(failure, "failure");
        }

        @Override
        public R get() {
            throw failure;
        }
    }

    /**
     * An {@link Error} (a defect, not an answer) was thrown inside its batch's transaction, which was rolled back:
     * nothing of it was committed.
     */
    record Defect<R>(Error failure) implements Outcome<R> {

        public Defect {
            Objects.requireNonNull(failure, "failure");
        }

        @Override
        public R get() {
            throw failure;
        }
    }

    /** The result, or the failure thrown. */
    R get();

    /** The failure; null when written. */
    Throwable failure();

    /** Whether it failed (unknown included). */
    default boolean failed() {
        return failure() != null;
    }

    /** The result; null when it failed. */
    default R result() {
        return failed() ? null : get();
    }
}
