package dev.cairn.api;

import java.util.Objects;

/**
 * What {@link DurableContext#waitForCondition} starts from and when it stops.
 *
 * @param initialState the state the first check gets (may be null)
 * @param strategy decides after each check whether to poll again
 */
public record WaitForConditionConfig<S>(S initialState, WaitStrategy<S> strategy) {

    public WaitForConditionConfig {
        Objects.requireNonNull(strategy, "strategy");
    }

    public static <S> WaitForConditionConfig<S> of(S initialState, WaitStrategy<S> strategy) {
        return new WaitForConditionConfig<>(initialState, strategy);
    }

    public WaitForConditionConfig<S> withInitialState(S initialState) {
        return new WaitForConditionConfig<>(initialState, strategy);
    }

    public WaitForConditionConfig<S> withStrategy(WaitStrategy<S> strategy) {
        return new WaitForConditionConfig<>(initialState, strategy);
    }
}
