package dev.cairn.bench.worker;

import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;

/** Scenario 2 (throughput): {@code steps} trivial steps one after another. */
@DurableWorkflow(name = "bench-steps")
public class StepsWorkflow implements DurableHandler<StepsWorkflow.Input, Integer> {

    public record Input(int steps) {
    }

    @Override
    public Integer handle(Input input, DurableContext ctx) {
        int sum = 0;
        for (int i = 0; i < input.steps(); i++) {
            int n = i;
            sum += ctx.step("s" + i, Integer.class, s -> n);
        }
        return sum;
    }
}
