package dev.cairn.it.apps.counting;

import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;
import dev.cairn.api.RetryStrategies;
import dev.cairn.api.StepConfig;
import dev.cairn.it.apps.SideEffects;
import java.time.Duration;

/** A step that fails on its first two attempts and succeeds on the third. */
@DurableWorkflow(name = "flaky-step")
public class FlakyStep implements DurableHandler<Void, String> {

    private final SideEffects effects;

    public FlakyStep(SideEffects effects) {
        this.effects = effects;
    }

    @Override
    public String handle(Void input, DurableContext ctx) {
        return ctx.step("call-flaky-service", String.class, step -> {
            int n = effects.record(ctx.executionId(), "attempt");
            if (n <= 2) {
                throw new IllegalStateException("service unavailable (call " + n + ")");
            }
            return "ok after " + step.attempt() + " attempts";
        }, StepConfig.defaults().withRetry(RetryStrategies.fixedDelay(5, Duration.ofMillis(700))));
    }
}
