package dev.cairn.orchestrator.console;

import dev.cairn.orchestrator.api.ProblemException;
import dev.cairn.orchestrator.security.ConsoleSessions;
import dev.cairn.orchestrator.security.ConsoleUser;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.ModelAndView;

/**
 * What every console page knows (who is signed in, the session's CSRF token) and how the console answers errors: as
 * pages, not as the API's problem+json (this advice comes before the API's).
 */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ConsoleModel {

    private static final Logger log = LoggerFactory.getLogger(ConsoleModel.class);

    @ModelAttribute("user")
    ConsoleUser user(HttpServletRequest request) {
        return user0(request);
    }

    @ModelAttribute("csrf")
    String csrf(HttpServletRequest request) {
        return ConsoleSessions.csrfToken(request);
    }

    @ExceptionHandler(ProblemException.class)
    ModelAndView problem(ProblemException e, HttpServletRequest request) {
        String title = e.status() == HttpStatus.NOT_FOUND ? "Not found" : e.title();
        return page(request, e.status(), title, e.getMessage());
    }

    @ExceptionHandler(DataAccessException.class)
    ModelAndView database(DataAccessException e, HttpServletRequest request) {
        log.warn("Database error while serving a console page: {}", e.getMessage());
        return page(request, HttpStatus.SERVICE_UNAVAILABLE, "Database unavailable",
                "The database did not answer. Try again in a moment.");
    }

    @ExceptionHandler(RuntimeException.class)
    ModelAndView unexpected(RuntimeException e, HttpServletRequest request) {
        log.error("Unexpected error while serving a console page", e);
        return page(request, HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong",
                "The console could not show this page; the orchestrator's log says why.");
    }

    private static ModelAndView page(HttpServletRequest request, HttpStatus status, String title, String detail) {
        ModelAndView mav = new ModelAndView("console/error");
        mav.setStatus(status);
        mav.addObject("status", status.value());
        mav.addObject("title", title);
        mav.addObject("detail", detail);
        mav.addObject("user", user0(request));
        mav.addObject("csrf", ConsoleSessions.csrfToken(request));
        return mav;
    }

    private static ConsoleUser user0(HttpServletRequest request) {
        return request.getAttribute(ConsoleSessions.USER_ATTRIBUTE) instanceof ConsoleUser u ? u : null;
    }
}
