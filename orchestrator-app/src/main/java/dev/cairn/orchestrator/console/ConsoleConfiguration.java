package dev.cairn.orchestrator.console;

import jakarta.servlet.SessionTrackingMode;
import java.util.Set;
import org.springframework.boot.web.server.servlet.CookieSameSiteSupplier;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The console's session: tracked by cookie only (never by a {@code ;jsessionid} in the URL, which the security filter
 * refuses), and a session cookie that other sites' pages do not send ({@code SameSite=Lax}).
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleConfiguration {

    @Bean
    ServletContextInitializer consoleSessionsByCookieOnly() {
        return servletContext -> servletContext.setSessionTrackingModes(Set.of(SessionTrackingMode.COOKIE));
    }

    @Bean
    CookieSameSiteSupplier consoleSessionCookieIsLax() {
        return CookieSameSiteSupplier.ofLax().whenHasName("JSESSIONID");
    }
}
