package dev.cairn.bench.worker;

import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;

/**
 * Scenario first-step (start → first step running): one step whose body answers {@link System#nanoTime()} when it
 * ran. The harness compares it with its own {@code nanoTime()} taken before the start request: on Linux both read the
 * machine's one monotonic clock, so the difference holds across the JVMs of one machine.
 */
@DurableWorkflow(name = "bench-first-step")
public class FirstStepWorkflow implements DurableHandler<Void, Long> {

    @Override
    public Long handle(Void input, DurableContext ctx) {
        return ctx.step("first", Long.class, s -> System.nanoTime());
    }
}
