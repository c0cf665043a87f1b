package dev.cairn.api;

import java.util.Objects;

/**
 * One branch of {@link DurableContext#parallel}: runs in its own child context (subType {@code ParallelBranch})
 * named {@code name}.
 */
public record Branch<T>(String name, ChildFunction<T> fn) {

    public Branch {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a branch name must not be blank");
        }
        Objects.requireNonNull(fn, "fn");
    }

    public static <T> Branch<T> of(String name, ChildFunction<T> fn) {
        return new Branch<>(name, fn);
    }
}
