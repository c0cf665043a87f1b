package dev.cairn.orchestrator.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Security of the web console ({@code /console/**}), which signs in through a session instead of a bearer header:
 * a request without a signed-in session is sent to the login page, one whose user lacks the role the path needs
 * ({@link AccessRules}, the same roles as the API) gets 403, and every request that changes something must carry the
 * session's CSRF token ({@link ConsoleSessions}). With an open API the console is open too (CSRF still applies).
 */
final class ConsoleGuard {

    static final String LOGIN_PATH = "/console/login";

    private static final Logger log = LoggerFactory.getLogger(ConsoleGuard.class);
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            + "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final ApiTokens tokens;

    ConsoleGuard(ApiTokens tokens) {
        this.tokens = tokens;
    }

    static boolean isConsolePath(String path) {
        return path.equals("/console") || path.startsWith("/console/");
    }

    void filter(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String path)
            throws IOException, ServletException {
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
        boolean reading = request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
        if (!reading && !ConsoleSessions.csrfMatches(request)) {
            log.debug("Refused console {} {}: missing or wrong CSRF token", request.getMethod(), path);
            if (path.equals(LOGIN_PATH)) {
                response.sendRedirect(request.getContextPath() + LOGIN_PATH + "?expired");
                return;
            }
            page(response, HttpServletResponse.SC_FORBIDDEN, "Form expired",
                    "This form was not sent from this console session (or the session expired). Go back, reload the "
                            + "page and try again.");
            return;
        }
        AccessRules.Access access = AccessRules.of(request.getMethod(), path);
        if (access instanceof AccessRules.Public) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Cache-Control", "no-store");
        Optional<ConsoleUser> user = tokens.open() ? Optional.of(ConsoleUser.OPEN) : ConsoleSessions.user(request);
        if (user.isEmpty()) {
            String back = reading ? path + (request.getQueryString() == null ? "" : "?" + request.getQueryString())
                    : "/console";
            String login = request.getContextPath() + LOGIN_PATH + "?next="
                    + URLEncoder.encode(back, StandardCharsets.UTF_8);
            if (request.getHeader("HX-Request") != null) {
                response.setHeader("HX-Redirect", login);
                response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
                return;
            }
            response.setStatus(HttpServletResponse.SC_SEE_OTHER);
            response.setHeader("Location", login);
            return;
        }
        Role needed = ((AccessRules.Needs) access).role();
        if (!user.get().may(needed)) {
            log.debug("Refused console {} {}: token '{}' lacks the role {}", request.getMethod(), path,
                    user.get().tokenName(), needed.label());
            page(response, HttpServletResponse.SC_FORBIDDEN, "Not allowed", "This needs the role '" + needed.label()
                    + "' (or 'admin'), which the token you signed in with does not have.");
            return;
        }
        request.setAttribute(ConsoleSessions.USER_ATTRIBUTE, user.get());
        chain.doFilter(request, response);
    }

    /** A minimal page for refusals decided before the console's own pages are reached. */
    private static void page(HttpServletResponse response, int status, String title, String text) throws IOException {
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        response.getWriter().write("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>%1$s · Cairn console</title>
                <link rel="stylesheet" href="/console/assets/console.css"></head>
                <body><main class="narrow"><h1>%1$s</h1><p>%2$s</p>
                <p><a href="/console/executions">Back to the console</a></p></main></body></html>
                """.formatted(title, text));
    }
}
