package dev.cairn.bench.worker;

import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;

/** Scenario 7 (scale): the workflow whose starts are timed; it does nothing. */
@DurableWorkflow(name = "bench-noop")
public class NoopWorkflow implements DurableHandler<Void, String> {

    @Override
    public String handle(Void input, DurableContext ctx) {
        return "ok";
    }
}
