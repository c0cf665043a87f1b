package dev.cairn.bench.worker;

import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;

/**
 * Scenario 3 (sequential overhead): {@code steps} trivial steps one after another; returns how long each
 * {@code ctx.step} call took in the worker, in microseconds (from the call until the step's checkpoint is durable
 * and {@code step} returns). The timing is not durable state: it is only valid for an execution that ran in one
 * invocation, which the harness checks (a replayed step returns in microseconds and would show as an outlier).
 */
@DurableWorkflow(name = "bench-sequential")
public class SequentialWorkflow implements DurableHandler<SequentialWorkflow.Input, long[]> {

    public record Input(int steps) {
    }

    @Override
    public long[] handle(Input input, DurableContext ctx) {
        long[] micros = new long[input.steps()];
        for (int i = 0; i < input.steps(); i++) {
            int n = i;
            long t0 = System.nanoTime();
            ctx.step("s" + i, Integer.class, s -> n);
            micros[i] = (System.nanoTime() - t0) / 1_000;
        }
        return micros;
    }
}
