package dev.cairn.orchestrator.support;

import static dev.cairn.orchestrator.support.Updates.stepStart;
import static dev.cairn.orchestrator.support.Updates.stepSucceed;

import dev.cairn.protocol.InvocationOutcome;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Worker scripts that several tests run on a {@link FakeWorker}. */
public final class Scripts {

    private Scripts() {
    }

    /** One step ("work", result 1), then the invocation succeeds with "done". */
    public static FakeWorker.Script oneStep() {
        return calls -> {
            calls.checkpoint(stepStart("1", "work", 1), stepSucceed("1", "work", 1, "1"));
            calls.complete(InvocationOutcome.SUCCEEDED, "\"done\"", null);
        };
    }

    /**
     * Holds the invocation (and so its place on the worker) until {@code release} opens, at most {@code patience},
     * then runs {@code then}; an interrupted wait ends the invocation without a word.
     */
    public static FakeWorker.Script heldUntil(CountDownLatch release, Duration patience, FakeWorker.Script then) {
        return calls -> {
            try {
                release.await(patience.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            then.run(calls);
        };
    }
}
