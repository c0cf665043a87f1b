package dev.cairn.orchestrator.checkpoint;

import dev.cairn.orchestrator.notify.Wakeups;

/** The wake-ups that what a request (or a batch) wrote calls for, signalled once, here and in the other replicas. */
final class Signals {

    boolean timers;
    boolean ready;
    boolean tellReady;

    void signal(Wakeups wakeups) {
        if (timers) {
            wakeups.timers().signal();
        }
        if (ready) {
            wakeups.ready().signal();
        }
        wakeups.tellReplicas(tellReady, timers);
    }
}
