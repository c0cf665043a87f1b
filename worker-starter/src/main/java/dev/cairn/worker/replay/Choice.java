package dev.cairn.worker.replay;

import dev.cairn.api.NonDeterministicExecutionException;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationSubType;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Which of a combinator's futures it went with: decided once, recorded before the code learns it, read back on
 * replay. Recorded as a STEP of its own ({@code subType} names the combinator) under a choice id of the context
 * whose code made the choice ({@link DurableScope#claimChoice}); its result is the index of the chosen future in
 * argument order, from 0. A choice made outside workflow code (in a step body) is not recorded: the body's result
 * is.
 *
 * <p>Replay never re-derives a recorded choice: completion times decide only a choice that was never recorded,
 * made live or in the first replay of a log written before choices were recorded.
 */
final class Choice {

    private static final int UNDECIDED = -1;

    private final ReplaySession session;
    private final DurableScope.Claim claim;
    private final int recorded;

    private Choice(ReplaySession session, DurableScope.Claim claim, int recorded) {
        this.session = session;
        this.claim = claim;
        this.recorded = recorded;
    }

    /**
     * The choice among {@code options} made by the code running on this thread: claims its id, and checks that a
     * recorded choice went with one of these futures that has completed.
     *
     * @throws NonDeterministicExecutionException if the recorded choice does not fit the futures the code passes
     */
    static Choice among(ReplaySession session, OperationSubType subType, String name, List<EngineFuture<?>> options) {
        DurableScope scope = ActiveScope.current(session);
        if (scope == null) {
            return new Choice(session, null, UNDECIDED);
        }
        DurableScope.Claim claim = scope.claimChoice(subType, name);
        OperationRecord record = claim.recorded();
        if (record == null || !record.status().isClosed()) {
            return new Choice(session, claim, UNDECIDED);
        }
        int index = recordedIndex(record);
        String asked = record.type() + "/" + subType + " '" + name + "' of " + options.size() + " futures";
        if (record.status() != OperationStatus.SUCCEEDED || index < 0 || index >= options.size()) {
            throw session.poison(new NonDeterministicExecutionException("Operation " + claim.id() + ": recorded "
                    + describe(record) + ", code asked for " + asked, claim.id(), null));
        }
        if (!options.get(index).isDone()) {
            throw session.poison(new NonDeterministicExecutionException("Operation " + claim.id() + ": recorded "
                    + describe(record) + ", code asked for " + asked + " of which future " + index
                    + " has not completed", claim.id(), null));
        }
        return new Choice(session, claim, index);
    }

    /**
     * The chosen index: the recorded one, or the one {@code live} picks, recorded durably before it is returned.
     * Call it once, and only once some future has completed.
     *
     * @throws SuspendExecution if the invocation ends before the choice is durable
     */
    int decide(IntSupplier live) {
        if (recorded != UNDECIDED) {
            return recorded;
        }
        int index = live.getAsInt();
        if (claim != null) {
            String result = Integer.toString(index);
            if (claim.recorded() == null) {
                session.sender().send(claim.updates().startAttempt(1), claim.updates().succeed(1, result));
            } else {
                session.sender().send(claim.updates().succeed(1, result));
            }
        }
        return index;
    }

    private static int recordedIndex(OperationRecord record) {
        try {
            return record.result() == null ? UNDECIDED : Integer.parseInt(record.result().trim());
        } catch (NumberFormatException e) {
            return UNDECIDED;
        }
    }

    private static String describe(OperationRecord record) {
        return record.type() + "/" + record.subType() + " '" + record.name() + "' " + record.status()
                + " with result " + record.result();
    }
}
