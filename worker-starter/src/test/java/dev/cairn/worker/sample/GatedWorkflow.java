package dev.cairn.worker.sample;

import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;

@DurableWorkflow(name = "gated", version = "2")
public class GatedWorkflow implements DurableHandler<Void, String> {

    private final Gate gate;

    public GatedWorkflow(Gate gate) {
        this.gate = gate;
    }

    @Override
    public String handle(Void input, DurableContext ctx) {
        return ctx.step("pass", String.class, step -> {
            gate.pass();
            return "passed";
        });
    }
}
