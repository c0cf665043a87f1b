package dev.cairn.it.apps.counting;

import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;

/** One step that greets the input's name: done as soon as it is run. */
@DurableWorkflow(name = "greeting")
public class Greeting implements DurableHandler<Greeting.Person, String> {

    /** Who to greet. */
    public record Person(String name) {
    }

    @Override
    public String handle(Person person, DurableContext ctx) {
        return ctx.step("greet", String.class, s -> "Hello, " + person.name() + "!");
    }
}
