package dev.cairn.worker.sample;

import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;

@DurableWorkflow(name = "greeting")
public class GreetingWorkflow implements DurableHandler<String, String> {

    private final Greeter greeter;

    public GreetingWorkflow(Greeter greeter) {
        this.greeter = greeter;
    }

    @Override
    public String handle(String name, DurableContext ctx) {
        return ctx.step("greet", String.class, step -> greeter.greet(name));
    }
}
