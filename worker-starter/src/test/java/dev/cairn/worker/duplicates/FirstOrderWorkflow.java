package dev.cairn.worker.duplicates;

import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;

@DurableWorkflow(name = "order")
public class FirstOrderWorkflow implements DurableHandler<Void, String> {

    @Override
    public String handle(Void input, DurableContext ctx) {
        return "first";
    }
}
