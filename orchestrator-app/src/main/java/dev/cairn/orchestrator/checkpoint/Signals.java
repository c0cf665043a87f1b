package dev.cairn.orchestrator.checkpoint;

import dev.cairn.orchestrator.notify.ClosedExecutions;
import dev.cairn.orchestrator.notify.Wakeups;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The wake-ups that what a request (or a batch) wrote calls for, signalled once, here and in the other replicas,
 * and the executions it closed, announced to who waits for them.
 */
final class Signals {

    boolean timers;
    boolean ready;
    boolean capacityFreed;
    boolean tellReady;
    final List<UUID> closed = new ArrayList<>();

    void signal(Wakeups wakeups, ClosedExecutions closedExecutions) {
        if (timers) {
            wakeups.timers().signal();
        }
        if (ready) {
            wakeups.ready().signal();
        }
        if (capacityFreed) {
            wakeups.freedCapacity().freed();
        }
        wakeups.tellReplicas(tellReady, timers);
        closedExecutions.announce(closed);
    }
}
