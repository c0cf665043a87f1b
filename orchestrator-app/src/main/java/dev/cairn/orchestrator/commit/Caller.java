package dev.cairn.orchestrator.commit;

import java.util.concurrent.locks.Condition;

/**
 * A caller of {@link GroupCommit#submit}/{@link GroupCommit#submitAll}: waits on its own condition of the group
 * commit's lock until it is handed a writer slot (it must then write) or until every job of its own has its outcome.
 * Its state is guarded by that lock.
 */
final class Caller {

    final Condition turn;
    /** Jobs of this caller still in the queue. */
    int queued;
    /** Jobs of this caller without their outcome. */
    int unwritten;
    /** Writer slots handed to it and not taken up yet. */
    int promotions;

    Caller(int jobs, Condition turn) {
        this.unwritten = jobs;
        this.turn = turn;
    }

    /** Hands it a writer slot. */
    void promote() {
        promotions++;
        turn.signal();
    }

    /** One of its jobs has its outcome. */
    void released() {
        unwritten--;
        if (unwritten == 0) {
            turn.signal();
        }
    }
}
