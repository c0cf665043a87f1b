package dev.cairn.api;

/**
 * Decides, after each check of {@link DurableContext#waitForCondition}, whether to poll again and when. A strategy
 * that throws (as the ready-made ones do when attempts run out) ends the wait with
 * {@link WaitForConditionFailedException}.
 */
@FunctionalInterface
public interface WaitStrategy<S> {

    /**
     * @param state the state the check just returned
     * @param attempt the number of that check, from 1
     */
    WaitDecision decide(S state, int attempt);
}
