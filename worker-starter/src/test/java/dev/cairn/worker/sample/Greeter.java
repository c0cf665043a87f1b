package dev.cairn.worker.sample;

import java.util.concurrent.atomic.AtomicInteger;

/** A plain bean that a workflow gets by constructor injection. */
public class Greeter {

    private final AtomicInteger calls = new AtomicInteger();

    public String greet(String name) {
        calls.incrementAndGet();
        return "Hello, " + name + "!";
    }

    /** How often {@link #greet} ran. */
    public int calls() {
        return calls.get();
    }
}
