package dev.cairn.api;

/**
 * One poll of {@link DurableContext#waitForCondition}: looks at the world and returns the new state. A check that
 * throws ends the wait with {@link WaitForConditionFailedException} (checks are not retried).
 */
@FunctionalInterface
public interface ConditionCheck<S> {

    S check(S state, StepContext ctx) throws Exception;
}
