package dev.cairn.orchestrator.notify;

import org.springframework.stereotype.Component;

/**
 * The wake-up signals of this replica's background loops. Work done in this replica signals them directly;
 * work done in other replicas reaches them through {@link NotificationListener}.
 */
@Component
public class Wakeups {

    private final Wakeup ready = new Wakeup();
    private final Wakeup timers = new Wakeup();

    /** The dispatcher waits on this: an execution became ready or a worker has capacity again. */
    public Wakeup ready() {
        return ready;
    }

    /** The timer poller waits on this: a timer was created that is due soon. */
    public Wakeup timers() {
        return timers;
    }

    /** Routes a notification channel to its signal. */
    void notified(String channel) {
        if (Channels.READY.equals(channel)) {
            ready.signal();
        } else if (Channels.TIMER.equals(channel)) {
            timers.signal();
        }
    }

    /** Wakes every loop, e.g. after notifications may have been missed. */
    void all() {
        ready.signal();
        timers.signal();
    }
}
