package dev.cairn.orchestrator.security;

import java.util.Set;

/** A configured API token: its name, its secret and its roles. */
public record ApiToken(String name, TokenSecret secret, Set<Role> roles) {

    public ApiToken {
        roles = Set.copyOf(roles);
    }

    /** Whether the token may do what {@code needed} allows. */
    public boolean grants(Role needed) {
        return roles.stream().anyMatch(r -> r.grants(needed));
    }
}
