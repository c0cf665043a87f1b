package dev.cairn.orchestrator.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The console's sign-in state in the HTTP session: the {@link ConsoleUser} once a token was accepted, and a
 * per-session CSRF token that every console form sends back in the hidden field {@value #CSRF_PARAMETER} (or the
 * header {@value #CSRF_HEADER}).
 */
public final class ConsoleSessions {

    /** The form field carrying the CSRF token. */
    public static final String CSRF_PARAMETER = "_csrf";
    /** The header carrying the CSRF token (htmx requests). */
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** The request attribute holding the {@link ConsoleUser} of a console request that was let in. */
    public static final String USER_ATTRIBUTE = ConsoleSessions.class.getName() + ".user";

    private static final String USER = ConsoleSessions.class.getName() + ".sessionUser";
    private static final String CSRF = ConsoleSessions.class.getName() + ".csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ConsoleSessions() {
    }

    /** The session's CSRF token, made on first use (which creates the session). */
    public static String csrfToken(HttpServletRequest request) {
        HttpSession session = request.getSession(true);
        Object token = session.getAttribute(CSRF);
        if (token instanceof String s) {
            return s;
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String made = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        session.setAttribute(CSRF, made);
        return made;
    }

    /**
     * Signs in with a pasted API token: on success a new session id (no fixation) holding the user and a fresh CSRF
     * token.
     *
     * @return the user, or empty when the token is not valid
     */
    public static Optional<ConsoleUser> signIn(HttpServletRequest request, ApiTokens tokens, String presented) {
        Optional<ApiToken> token = tokens.authenticate(presented == null ? null : presented.strip());
        if (token.isEmpty()) {
            return Optional.empty();
        }
        ConsoleUser user = ConsoleUser.of(token.get());
        HttpSession session = request.getSession(true);
        request.changeSessionId();
        session.removeAttribute(CSRF);
        session.setAttribute(USER, user);
        return Optional.of(user);
    }

    /** Ends the session. */
    public static void signOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }

    /** The user signed in to the request's session, if any. */
    static Optional<ConsoleUser> user(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session != null && session.getAttribute(USER) instanceof ConsoleUser u ? Optional.of(u)
                : Optional.empty();
    }

    /** Whether the request carries its session's CSRF token (compared in constant time). */
    static boolean csrfMatches(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(CSRF) instanceof String expected)) {
            return false;
        }
        String presented = request.getHeader(CSRF_HEADER);
        if (presented == null) {
            presented = request.getParameter(CSRF_PARAMETER);
        }
        return presented != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
