package dev.cairn.orchestrator.security;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Which role each request needs (API.md §2), decided from the method and the path alone, before anything is looked
 * up. Paths are matched the way Spring MVC matches them ({@link PathPattern}). What no rule names needs {@code read}
 * to read and {@code admin} to change anything, so an endpoint added without a rule is never open by mistake.
 */
public final class AccessRules {

    /** What a request needs. */
    public sealed interface Access {
    }

    /** Anyone, without a token (the OpenAPI document, Swagger UI, WebJars, the console's login and assets). */
    public record Public() implements Access {
    }

    /** A token with this role (or {@code admin}). */
    public record Needs(Role role) implements Access {
    }

    private record Rule(Set<String> methods, PathPattern pattern, Access access) {

        boolean matches(String method, PathContainer path) {
            return (methods.isEmpty() || methods.contains(method)) && pattern.matches(path);
        }
    }

    private static final Set<String> ANY = Set.of();
    private static final Set<String> READING = Set.of("GET", "HEAD");
    private static final PathPatternParser PARSER = new PathPatternParser();

    private static final List<Rule> RULES = List.of(
            rule(READING, "/v3/api-docs/**", new Public()),
            rule(READING, "/swagger-ui.html", new Public()),
            rule(READING, "/swagger-ui/**", new Public()),
            rule(READING, "/webjars/**", new Public()),
            rule(READING, "/console/assets/**", new Public()),
            rule(Set.of("GET", "HEAD", "POST"), "/console/login", new Public()),
            rule(Set.of("POST"), "/console/logout", new Public()),
            rule(Set.of("POST"), "/console/executions", new Needs(Role.CLIENT)),
            rule(Set.of("POST"), "/console/executions/{executionId}/stop", new Needs(Role.ADMIN)),
            rule(Set.of("POST"), "/console/callbacks/**", new Needs(Role.CLIENT)),
            rule(Set.of("POST"), "/v1/workflows/{workflow}/executions", new Needs(Role.CLIENT)),
            rule(Set.of("POST"), "/v1/executions/{executionId}/stop", new Needs(Role.ADMIN)),
            rule(ANY, "/v1/callbacks/**", new Needs(Role.CLIENT)),
            rule(READING, "/v1/workers", new Needs(Role.READ)),
            rule(ANY, "/v1/workers/**", new Needs(Role.WORKER)),
            rule(ANY, "/v1/invocations/**", new Needs(Role.WORKER)),
            rule(READING, "/**", new Needs(Role.READ)),
            rule(ANY, "/**", new Needs(Role.ADMIN)));

    private AccessRules() {
    }

    /**
     * What {@code method path} needs.
     *
     * @param path the path within the application, as received (not decoded)
     */
    public static Access of(String method, String path) {
        PathContainer container = PathContainer.parsePath(path);
        String m = method.toUpperCase(Locale.ROOT);
        for (Rule rule : RULES) {
            if (rule.matches(m, container)) {
                return rule.access();
            }
        }
        return new Needs(Role.ADMIN);
    }

    private static Rule rule(Set<String> methods, String pattern, Access access) {
        return new Rule(methods, PARSER.parse(pattern), access);
    }
}
