package dev.cairn.it.apps.counting;

import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;
import dev.cairn.it.apps.SideEffects;

/** A step, then a step that blocks until the test opens the gate, then a last step. */
@DurableWorkflow(name = "gated-steps")
public class GatedSteps implements DurableHandler<Void, String> {

    private final SideEffects effects;

    public GatedSteps(SideEffects effects) {
        this.effects = effects;
    }

    @Override
    public String handle(Void input, DurableContext ctx) {
        String id = ctx.executionId();
        ctx.step("before", Integer.class, s -> effects.record(id, "before"));
        ctx.step("gated", Integer.class, s -> {
            effects.record(id, "gated-entered");
            effects.passGate();
            return effects.record(id, "gated-done");
        });
        ctx.step("after", Integer.class, s -> effects.record(id, "after"));
        return "done";
    }
}
