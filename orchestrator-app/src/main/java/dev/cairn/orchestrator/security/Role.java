package dev.cairn.orchestrator.security;

/** What a token may do. {@link #ADMIN} implies every other role. */
public enum Role {
    /** Everything, including stopping executions. */
    ADMIN,
    /** Start executions and complete callbacks. */
    CLIENT,
    /** The worker protocol: {@code /v1/workers/**} and {@code /v1/invocations/**}. */
    WORKER,
    /** Read executions, their operations and history, workflows and workers. */
    READ;

    /** Whether a token with this role may do what {@code needed} allows. */
    public boolean grants(Role needed) {
        return this == ADMIN || this == needed;
    }

    /** The name used in configuration and answers ({@code admin}, {@code client}, …). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
