package dev.cairn.orchestrator.security;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is signed in to the console: the name and roles of the API token pasted into its login form (never the token
 * itself), kept in the HTTP session. The same roles as on the API decide what the console shows and lets one do.
 *
 * @param tokenName the configured name of the token
 * @param roles its roles
 */
public record ConsoleUser(String tokenName, Set<Role> roles) implements Serializable {

    /** Everyone, when the API is open ({@code cairn.security.open=true}). */
    public static final ConsoleUser OPEN = new ConsoleUser("anyone (security is off)", EnumSet.allOf(Role.class));

    public ConsoleUser {
        roles = Set.copyOf(roles);
    }

    static ConsoleUser of(ApiToken token) {
        return new ConsoleUser(token.name(), token.roles());
    }

    /** Whether this is {@link #OPEN}: nobody signed in, because the API is open; there is no session to end. */
    public boolean open() {
        return equals(OPEN);
    }

    /** Whether the user may do what {@code needed} allows. */
    public boolean may(Role needed) {
        return roles.stream().anyMatch(r -> r.grants(needed));
    }

    /** Whether the user may complete callbacks and start executions ({@code client}). */
    public boolean canAct() {
        return may(Role.CLIENT);
    }

    /** Whether the user may stop executions ({@code admin}). */
    public boolean canStop() {
        return may(Role.ADMIN);
    }

    /** The roles as configured, e.g. {@code admin, read}. */
    public String roleLabels() {
        return roles.stream().sorted().map(Role::label).collect(Collectors.joining(", "));
    }
}
