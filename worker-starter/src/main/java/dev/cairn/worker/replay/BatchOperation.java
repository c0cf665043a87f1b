package dev.cairn.worker.replay;

import dev.cairn.api.BatchResult;
import dev.cairn.api.ChildContextFailedException;
import dev.cairn.api.ChildFunction;
import dev.cairn.api.CompletionConfig;
import dev.cairn.api.ErrorInfo;
import dev.cairn.api.NonDeterministicExecutionException;
import dev.cairn.api.PayloadTooLargeException;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationSubType;
import dev.cairn.protocol.OperationUpdate;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code parallel} and {@code map}: a CONTEXT (subType {@code Parallel} / {@code Map}) with one child CONTEXT per
 * branch or item (subType {@code ParallelBranch} / {@code MapIteration}, ids {@code <ctx>-1}, {@code <ctx>-2}, …
 * in index order), each run on its own branch thread, at most {@code maxConcurrency} begun and unfinished at once.
 *
 * <p>The calling thread coordinates: it starts items as slots free up and waits in process while they run, so
 * the invocation suspends only when every live item is blocked durably; the next invocation resumes each where it
 * was. Once the completion rule is met, unfinished items are abandoned: their contexts get a CANCEL (in the same
 * request as the batch's SUCCEED, whose result is the {@link BatchResult}), and from then on nothing inside them
 * can be claimed or checkpointed, so their threads unwind at their next durable operation.
 */
final class BatchOperation<T> {

    /** One branch or item: its child context's name and body. */
    record Unit<T>(String name, ChildFunction<T> fn) {
    }

    private final ReplaySession session;
    private final DurableScope.Claim claim;
    private final String name;
    private final OperationSubType unitSubType;
    private final Type type;
    private final List<Unit<T>> units;
    private final int maxConcurrency;
    private final CompletionConfig completion;
    private final BatchCodec codec;

    BatchOperation(ReplaySession session, DurableScope.Claim claim, String name, OperationSubType unitSubType,
            Type type, List<Unit<T>> units, int maxConcurrency, CompletionConfig completion) {
        this.session = session;
        this.claim = claim;
        this.name = name;
        this.unitSubType = unitSubType;
        this.type = type;
        this.units = List.copyOf(units);
        this.maxConcurrency = maxConcurrency;
        this.completion = completion;
        this.codec = new BatchCodec(session);
    }

    BatchResult<T> run() {
        OperationRecord recorded = claim.recorded();
        if (recorded != null && recorded.status() == OperationStatus.SUCCEEDED) {
            return codec.decode(recorded.result(), type, claim.id());
        }
        if (recorded != null && recorded.status().isClosed()) {
            throw recordedFailure(recorded);
        }
        if (recorded == null) {
            session.sender().enqueue(claim.updates().start());
        }
        List<DurableScope.Claim> claims = claimUnits();
        BatchProgress<T> progress = new BatchProgress<>(units.stream().map(Unit::name).toList(), completion);
        for (int i = 0; i < claims.size(); i++) {
            replay(progress, i, claims.get(i).recorded());
        }
        progress.evaluate();
        coordinate(progress, claims);
        return complete(progress, claims);
    }

    private List<DurableScope.Claim> claimUnits() {
        DurableScope scope = new DurableScope(session, claim.id());
        List<DurableScope.Claim> claims = new ArrayList<>(units.size());
        for (Unit<T> unit : units) {
            claims.add(scope.claim(unitSubType, unit.name()));
        }
        int recorded = session.log().recordedChildren(claim.id());
        if (recorded > units.size()) {
            String message = "Operation " + claim.id() + ": recorded " + recorded + " " + unitSubType
                    + " contexts, code asked for " + units.size();
            throw session.poison(new NonDeterministicExecutionException(message, claim.id(), null));
        }
        return claims;
    }

    @SuppressWarnings("unchecked")
    private void replay(BatchProgress<T> progress, int index, OperationRecord recorded) {
        if (recorded == null) {
            return;
        }
        switch (recorded.status()) {
            case SUCCEEDED -> progress.recordedSuccess(index,
                    (T) session.decode(null, recorded.result(), type, recorded.id()), recorded.result());
            case FAILED, CANCELLED, TIMED_OUT, STOPPED -> progress.recordedFailure(index, recorded.error() != null
                    ? recorded.error()
                    : new ErrorInfo(ChildContextFailedException.class.getName(), "ended " + recorded.status(), null));
            case STARTED, PENDING, READY -> progress.resumable(index);
        }
    }

    /** Starts items as slots free up until the batch is complete; waits in process meanwhile. */
    private void coordinate(BatchProgress<T> progress, List<DurableScope.Claim> claims) {
        while (true) {
            long seen = progress.changes();
            if (progress.isComplete()) {
                return;
            }
            List<Integer> begun = progress.begin(maxConcurrency);
            for (int index : begun) {
                DurableScope.Claim unit = claims.get(index);
                if (unit.recorded() == null) {
                    session.sender().enqueue(unit.updates().start());
                }
                session.branches().spawn(() -> runUnit(progress, index, unit));
            }
            if (begun.isEmpty()) {
                session.branches().awaitInProcess(() -> progress.changes() != seen);
            }
        }
    }

    /** Runs one branch or item on its own thread and reports its outcome, unless the batch completed first. */
    private void runUnit(BatchProgress<T> progress, int index, DurableScope.Claim unit) {
        T value;
        String payload;
        try {
            DurableScope scope = new DurableScope(session, unit.id());
            value = ActiveScope.runIn(scope, () -> units.get(index).fn().apply(scope));
            payload = session.encodeWithinLimit(null, value, type, unit.id(),
                    "the result of '" + units.get(index).name() + "'");
        } catch (SuspendExecution | VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            session.branches().throwIfEnded();
            ErrorInfo error = session.errors().describe(e);
            if (!progress.fail(index, error, () -> session.sender().enqueue(unit.updates().fail(null, error)))) {
                throw SuspendExecution.abandoned(unit.id());
            }
            session.branches().signal();
            return;
        }
        if (!progress.succeed(index, value, payload,
                () -> session.sender().enqueue(unit.updates().succeed(null, payload)))) {
            throw SuspendExecution.abandoned(unit.id());
        }
        session.branches().signal();
    }

    /** Cancels unfinished items and records the batch's result, together and durably. */
    private BatchResult<T> complete(BatchProgress<T> progress, List<DurableScope.Claim> claims) {
        BatchResult<T> result = progress.result(claim.id());
        List<String> cancelled = new ArrayList<>();
        List<OperationUpdate> updates = new ArrayList<>();
        for (int index : progress.unfinishedBegun()) {
            cancelled.add(claims.get(index).id());
            updates.add(claims.get(index).updates().cancel());
        }
        try {
            String payload = codec.encode(result, progress::resultText);
            session.requireWithinLimit(payload, claim.id(), "the result of '" + name + "'");
            updates.add(claim.updates().succeed(null, payload));
        } catch (PayloadTooLargeException e) {
            updates.add(claim.updates().fail(null, e.errorInfo()));
            session.sender().awaitDurable(session.sender().cancel(cancelled, updates));
            throw e;
        }
        session.sender().awaitDurable(session.sender().cancel(cancelled, updates));
        return result;
    }

    private RuntimeException recordedFailure(OperationRecord recorded) {
        ErrorInfo error = recorded.error() != null ? recorded.error()
                : new ErrorInfo(ChildContextFailedException.class.getName(),
                        "'" + name + "' ended " + recorded.status(), null);
        if (RecordedErrors.isPayloadTooLarge(error)) {
            return new PayloadTooLargeException(error.message(), claim.id(), error);
        }
        return new ChildContextFailedException("'" + name + "' failed: " + error.message(), claim.id(), error);
    }
}
