package dev.cairn.orchestrator.security;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The configured API tokens, or none at all when the API is open. A presented token is hashed once and compared
 * with every configured digest (no early exit, {@link java.security.MessageDigest#isEqual}), so the time an answer
 * takes says nothing about how close a guess was, nor which token it was close to.
 */
public final class ApiTokens {

    private final boolean open;
    private final List<ApiToken> tokens;

    private ApiTokens(boolean open, List<ApiToken> tokens) {
        this.open = open;
        this.tokens = List.copyOf(tokens);
    }

    /**
     * Reads {@code cairn.security}.
     *
     * @throws NoApiTokensException when no token is configured and the API is not explicitly open
     * @throws IllegalArgumentException when a token is malformed (the message names it, never its secret)
     */
    public static ApiTokens of(SecurityProperties properties) {
        if (properties.open()) {
            return new ApiTokens(true, List.of());
        }
        if (properties.tokens().isEmpty()) {
            throw new NoApiTokensException();
        }
        List<ApiToken> tokens = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < properties.tokens().size(); i++) {
            SecurityProperties.Token t = properties.tokens().get(i);
            String key = "cairn.security.tokens[" + i + "]";
            if (t == null || t.name() == null || t.name().isBlank()) {
                throw new IllegalArgumentException(key + ".name is missing");
            }
            if (!names.add(t.name())) {
                throw new IllegalArgumentException(key + ".name '" + t.name() + "' is used by another token");
            }
            if (t.roles().isEmpty()) {
                throw new IllegalArgumentException(key + ".roles is missing (admin, client, worker, read)");
            }
            TokenSecret secret;
            try {
                secret = TokenSecret.parse(t.secret());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ".secret of token '" + t.name() + "': " + e.getMessage());
            }
            tokens.add(new ApiToken(t.name(), secret, EnumSet.copyOf(t.roles())));
        }
        return new ApiTokens(false, tokens);
    }

    /** An open API: every request is let in. */
    public static ApiTokens openToAnyone() {
        return new ApiTokens(true, List.of());
    }

    /** Whether requests are let in without a token. */
    public boolean open() {
        return open;
    }

    /** How many tokens are configured. */
    public int size() {
        return tokens.size();
    }

    /** The token whose secret {@code presented} is, if any. */
    public Optional<ApiToken> authenticate(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = TokenSecret.digest(presented);
        ApiToken found = null;
        for (ApiToken token : tokens) {
            if (token.secret().matches(digest) && found == null) {
                found = token;
            }
        }
        return Optional.ofNullable(found);
    }
}
