package dev.cairn.orchestrator.security;

import dev.cairn.orchestrator.api.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a request in only with {@code Authorization: Bearer <token>} of a configured token that has the role the
 * request needs ({@link AccessRules}): 401 without a valid token, 403 without the role, both decided from the
 * method and path alone, before any lookup. Paths that are not normalized or that hide separators in percent
 * escapes ({@code ..}, {@code //}, {@code %2F}, {@code %2E}, {@code ;}, backslashes) are refused with 400 first, so
 * the path the rules see is the path Spring MVC serves. Registered for the API port only: the actuator's management
 * port has its own server. The web console ({@code /console/**}) signs in through a session instead
 * ({@link ConsoleGuard}).
 */
public class BearerTokenFilter extends OncePerRequestFilter {

    /** The request attribute holding the name of the token a request came with. */
    public static final String TOKEN_NAME = BearerTokenFilter.class.getName() + ".tokenName";

    private static final Logger log = LoggerFactory.getLogger(BearerTokenFilter.class);
    private static final Pattern UNSAFE_PATH = Pattern.compile(
            "(?i).*(%2f|%5c|%2e|%00|%25|%3b|\\\\|;|//|/\\./|/\\.\\./|/\\.$|/\\.\\.$).*");

    private final ApiTokens tokens;
    private final ConsoleGuard console;

    public BearerTokenFilter(ApiTokens tokens) {
        this.tokens = tokens;
        this.console = new ConsoleGuard(tokens);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String uri = request.getRequestURI();
        String path = uri.substring(request.getContextPath().length());
        if (UNSAFE_PATH.matcher(uri).matches() || !path.startsWith("/")) {
            ProblemResponses.write(response, HttpStatus.BAD_REQUEST, "Bad request",
                    "the request path must be normalized: no '.' or '..' segments, empty segments, ';', backslashes "
                            + "or percent-encoded '/', '\\', '.', '%' or ';'", "");
            return;
        }
        if (ConsoleGuard.isConsolePath(path)) {
            console.filter(request, response, chain, path);
            return;
        }
        if (tokens.open()) {
            chain.doFilter(request, response);
            return;
        }
        AccessRules.Access access = AccessRules.of(request.getMethod(), path);
        if (access instanceof AccessRules.Public) {
            chain.doFilter(request, response);
            return;
        }
        Role needed = ((AccessRules.Needs) access).role();
        String header = request.getHeader("Authorization");
        String presented = bearer(header);
        if (presented == null) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"cairn\"");
            ProblemResponses.write(response, HttpStatus.UNAUTHORIZED, "Unauthorized", header == null
                    ? "a bearer token is required: send 'Authorization: Bearer <token>'"
                    : "the Authorization header must be 'Bearer <token>'", path);
            return;
        }
        Optional<ApiToken> token = tokens.authenticate(presented);
        if (token.isEmpty()) {
            log.debug("Refused {} {}: unknown bearer token", request.getMethod(), path);
            response.setHeader("WWW-Authenticate", "Bearer realm=\"cairn\", error=\"invalid_token\"");
            ProblemResponses.write(response, HttpStatus.UNAUTHORIZED, "Unauthorized",
                    "the bearer token is not valid", path);
            return;
        }
        if (!token.get().grants(needed)) {
            log.debug("Refused {} {}: token '{}' lacks the role {}", request.getMethod(), path, token.get().name(),
                    needed.label());
            ProblemResponses.write(response, HttpStatus.FORBIDDEN, "Forbidden", "this request needs the role '"
                    + needed.label() + "' (or 'admin'), which the token '" + token.get().name() + "' does not have",
                    path);
            return;
        }
        request.setAttribute(TOKEN_NAME, token.get().name());
        chain.doFilter(request, response);
    }

    private static String bearer(String header) {
        if (header == null || header.length() <= 7 || !header.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return null;
        }
        String token = header.substring(7).strip();
        return token.isEmpty() ? null : token;
    }
}
