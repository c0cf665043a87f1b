package dev.cairn.worker.sample;

/** A plain bean that a workflow gets by constructor injection. */
public class Greeter {

    public String greet(String name) {
        return "Hello, " + name + "!";
    }
}
