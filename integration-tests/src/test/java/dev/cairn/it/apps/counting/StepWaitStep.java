package dev.cairn.it.apps.counting;

import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;
import dev.cairn.it.apps.SideEffects;
import java.time.Duration;
import java.util.Map;

/** A step, a wait of {@code input.waitMillis}, a step. */
@DurableWorkflow(name = "step-wait-step")
public class StepWaitStep implements DurableHandler<Map<String, Object>, String> {

    private final SideEffects effects;

    public StepWaitStep(SideEffects effects) {
        this.effects = effects;
    }

    @Override
    public String handle(Map<String, Object> input, DurableContext ctx) {
        String id = ctx.executionId();
        long waitMillis = ((Number) input.getOrDefault("waitMillis", 1000)).longValue();
        ctx.step("before", Integer.class, s -> effects.record(id, "before"));
        ctx.wait("pause", Duration.ofMillis(waitMillis));
        ctx.step("after", Integer.class, s -> effects.record(id, "after"));
        return "done";
    }
}
