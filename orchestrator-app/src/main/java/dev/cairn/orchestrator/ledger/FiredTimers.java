package dev.cairn.orchestrator.ledger;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * What one timer pass fired.
 *
 * @param fired timers fired (deleted)
 * @param woken executions made ready
 * @param timedOut executions ended TIMED_OUT
 * @param timedOutWorkflows the workflow of each execution ended TIMED_OUT
 * @param callbacksTimedOut callbacks ended TIMED_OUT
 * @param lags how late each fired timer was (now − due)
 * @param timedOutIds the id of each execution ended TIMED_OUT
 */
public record FiredTimers(int fired, int woken, int timedOut, List<String> timedOutWorkflows, int callbacksTimedOut,
        List<Duration> lags, List<UUID> timedOutIds) {

    public FiredTimers {
        timedOutWorkflows = List.copyOf(timedOutWorkflows);
        lags = List.copyOf(lags);
        timedOutIds = List.copyOf(timedOutIds);
    }
}
