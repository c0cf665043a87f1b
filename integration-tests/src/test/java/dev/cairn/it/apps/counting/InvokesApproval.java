package dev.cairn.it.apps.counting;

import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;

/** Invokes {@code awaits-approval} as a chained child and answers its result. */
@DurableWorkflow(name = "invokes-approval")
public class InvokesApproval implements DurableHandler<Void, String> {

    @Override
    public String handle(Void input, DurableContext ctx) {
        return ctx.invoke("child", "awaits-approval", null, String.class);
    }
}
