package dev.cairn.orchestrator.console;

import dev.cairn.orchestrator.security.ApiTokens;
import dev.cairn.orchestrator.security.ConsoleSessions;
import dev.cairn.orchestrator.security.ConsoleUser;
import dev.cairn.orchestrator.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Signing in to the console with an API token, and out again. */
@Controller
public class LoginController {

    private static final Logger log = LoggerFactory.getLogger(LoginController.class);

    private final ApiTokens tokens;

    public LoginController(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @GetMapping("/console")
    String home() {
        return "redirect:/console/executions";
    }

    @GetMapping("/console/login")
    String form(@RequestParam(required = false) String next, Model model) {
        if (tokens.open()) {
            return "redirect:" + safeNext(next);
        }
        model.addAttribute("next", safeNext(next));
        return "console/login";
    }

    @PostMapping("/console/login")
    String signIn(@RequestParam(required = false) String token, @RequestParam(required = false) String next,
            HttpServletRequest request, HttpServletResponse response, Model model) {
        if (tokens.open()) {
            return "redirect:" + safeNext(next);
        }
        Optional<ConsoleUser> user = ConsoleSessions.signIn(request, tokens, token);
        String problem = null;
        if (user.isEmpty()) {
            problem = "That token is not valid. Paste the whole API token, as you would send it in the "
                    + "Authorization header.";
        } else if (!user.get().may(Role.READ)) {
            ConsoleSessions.signOut(request);
            problem = "The token '" + user.get().tokenName() + "' has the roles " + user.get().roleLabels()
                    + ", but the console needs 'read' (or 'admin').";
        }
        if (problem != null) {
            log.debug("Console sign-in refused: {}", problem);
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            model.addAttribute("next", safeNext(next));
            model.addAttribute("loginError", problem);
            model.addAttribute("csrf", ConsoleSessions.csrfToken(request));
            return "console/login";
        }
        log.info("Console sign-in with token '{}'", user.get().tokenName());
        return "redirect:" + safeNext(next);
    }

    @PostMapping("/console/logout")
    String signOut(HttpServletRequest request) {
        ConsoleSessions.signOut(request);
        return "redirect:/console/login?signedOut";
    }

    /** Only a console path of this site, never an address elsewhere. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/console") || next.startsWith("//") || next.contains("\\")
                || next.startsWith("/console/login")) {
            return "/console/executions";
        }
        return next;
    }
}
