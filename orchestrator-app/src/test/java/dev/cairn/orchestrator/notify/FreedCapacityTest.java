package dev.cairn.orchestrator.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.orchestrator.loop.Wakeup;
import java.time.Duration;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class FreedCapacityTest {

    private final Wakeup dispatcher = new Wakeup();
    private final FreedCapacity capacity = new FreedCapacity(dispatcher);

    @Test
    void roomFreedWhileTheLastPassWasHeldBackWakesTheDispatcher() throws Exception {
        capacity.passStarting();
        assertThat(capacity.passEnded(true)).isFalse();

        capacity.freed();

        assertThat(dispatcher.await(Duration.ZERO)).isTrue();
    }

    @Test
    void roomFreedWhenNoPassWaitsForRoomWakesNothing() throws Exception {
        capacity.passStarting();
        capacity.passEnded(false);

        capacity.freed();

        assertThat(dispatcher.await(Duration.ZERO)).isFalse();
    }

    @Test
    void roomFreedDuringAPassThatEndsHeldBackRunsAnotherPassAtOnce() {
        capacity.passStarting();
        capacity.freed();

        assertThat(capacity.passEnded(true)).isTrue();
    }

    @Test
    void roomFreedBeforeAPassStartedIsLeftToThatPassesClaim() {
        capacity.freed();
        capacity.passStarting();

        assertThat(capacity.passEnded(true)).isFalse();
    }

    @Test
    void roomFreedDuringAPassThatWasNotHeldBackAsksForNothing() throws Exception {
        capacity.passStarting();
        capacity.freed();

        assertThat(capacity.passEnded(false)).isFalse();
        assertThat(dispatcher.await(Duration.ZERO)).isFalse();
    }

    /**
     * An invocation ending at the same moment as a held-back pass: in every round either the invocation wakes the
     * dispatcher or the pass runs again. Neither may miss the other, whatever the interleaving.
     */
    @Test
    void anInvocationEndingAsAHeldBackPassEndsIsNeverMissed() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20_000; round++) {
                Wakeup wakeup = new Wakeup();
                FreedCapacity shared = new FreedCapacity(wakeup);
                shared.passStarting();
                CyclicBarrier together = new CyclicBarrier(2);
                Future<Boolean> pass = threads.submit(() -> {
                    together.await();
                    return shared.passEnded(true);
                });
                Future<?> invocation = threads.submit(() -> {
                    together.await();
                    shared.freed();
                    return null;
                });
                boolean runsAgain = pass.get();
                invocation.get();
                boolean woken = wakeup.await(Duration.ZERO);
                assertThat(runsAgain || woken).as("round %d", round).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
