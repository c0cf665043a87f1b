package dev.cairn.it.apps.counting;

import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;

/** Waits for its callback {@code approval} and answers who approved. Holds no thread while it waits. */
@DurableWorkflow(name = "awaits-approval")
public class AwaitsApproval implements DurableHandler<Void, String> {

    @Override
    public String handle(Void input, DurableContext ctx) {
        String by = ctx.createCallback("approval", String.class).get();
        return "approved by " + by;
    }
}
