package dev.cairn.protocol;

import static dev.cairn.protocol.OperationStatus.CANCELLED;
import static dev.cairn.protocol.OperationStatus.FAILED;
import static dev.cairn.protocol.OperationStatus.PENDING;
import static dev.cairn.protocol.OperationStatus.READY;
import static dev.cairn.protocol.OperationStatus.STARTED;
import static dev.cairn.protocol.OperationStatus.STOPPED;
import static dev.cairn.protocol.OperationStatus.SUCCEEDED;
import static dev.cairn.protocol.OperationStatus.TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OperationStatusTest {

    @Test
    void aRetriedStepMovesForwardThroughEveryAttempt() {
        assertThat(STARTED.movesTo(PENDING, 1, 1)).isTrue();
        assertThat(PENDING.movesTo(READY, 1, 1)).isTrue();
        assertThat(READY.movesTo(STARTED, 1, 2)).isTrue();
        assertThat(STARTED.movesTo(SUCCEEDED, 2, 2)).isTrue();
        assertThat(STARTED.movesTo(FAILED, 1, 1)).isTrue();
    }

    @Test
    void aConditionPollMovesFromReadyToTheNextAttemptPending() {
        assertThat(READY.movesTo(PENDING, 1, 2)).isTrue();
    }

    @Test
    void anUpdateSentAgainOrOvertakenDoesNotMove() {
        assertThat(STARTED.movesTo(STARTED, 1, 1)).as("START sent twice").isFalse();
        assertThat(READY.movesTo(PENDING, 1, 1)).as("RETRY after its timer fired").isFalse();
        assertThat(STARTED.movesTo(PENDING, 2, 1)).as("an older attempt's RETRY").isFalse();
        assertThat(SUCCEEDED.movesTo(STARTED, 0, 0)).as("WAIT START after the wait fired").isFalse();
        assertThat(SUCCEEDED.movesTo(SUCCEEDED, 1, 1)).as("SUCCEED sent twice").isFalse();
    }

    @Test
    void aClosedOperationNeverMovesAgain() {
        for (OperationStatus closed : new OperationStatus[] {SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, STOPPED}) {
            for (OperationStatus next : OperationStatus.values()) {
                assertThat(closed.movesTo(next, 1, 2)).as("%s → %s", closed, next).isFalse();
            }
        }
    }

    @Test
    void everyClosedStatusIsTheLastStage() {
        for (OperationStatus status : OperationStatus.values()) {
            assertThat(status.stage() == 3).as(status.name()).isEqualTo(status.isClosed());
        }
    }
}
