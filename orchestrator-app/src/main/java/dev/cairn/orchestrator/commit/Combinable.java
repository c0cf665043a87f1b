package dev.cairn.orchestrator.commit;

import java.util.Objects;

/**
 * How one {@link Work} can be written with others in one statement.
 *
 * @param kind the combined statement that writes it: only consecutive jobs of one kind are combined
 * @param key jobs written together have distinct keys ({@link Object#equals}), e.g. their executions' ids
 * @param part what {@code kind} writes of this job
 */
public record Combinable<P, R>(CombineKind<P, R> kind, Object key, P part) {

    public Combinable {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(part, "part");
    }
}
