package dev.cairn.orchestrator.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the REST API ({@code cairn.security.*}).
 *
 * @param open whether the API is open to anyone, without tokens (the demo); a start with no token configured and
 *     this unset is refused
 * @param tokens the API tokens
 */
@ConfigurationProperties("cairn.security")
public record SecurityProperties(@DefaultValue("false") boolean open, List<Token> tokens) {

    public SecurityProperties {
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
    }

    /**
     * One API token.
     *
     * @param name what logs and errors call it (never the token itself)
     * @param secret {@code {sha256}<hex of the SHA-256 of the token>} or {@code {noop}<the token>} (local use)
     * @param roles what it may do: {@code admin}, {@code client}, {@code worker}, {@code read}
     */
    public record Token(String name, String secret, List<Role> roles) {

        public Token {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }

        /** Keeps the secret out of logs and failure reports. */
        @Override
        public String toString() {
            return "Token[name=" + name + ", roles=" + roles + "]";
        }
    }
}
