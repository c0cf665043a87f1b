package dev.cairn.examples.demo;

import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;

/** The smallest workflow: one step. */
@DurableWorkflow(name = "hello-world")
public class HelloWorld implements DurableHandler<HelloWorld.Input, HelloWorld.Output> {

    public record Input(String name) {
    }

    public record Output(String greeting) {
    }

    @Override
    public Output handle(Input input, DurableContext ctx) {
        String name = input == null || input.name() == null ? "world" : input.name();
        String greeting = ctx.step("greet", String.class, step -> "Hello, " + name + "!");
        return new Output(greeting);
    }
}
