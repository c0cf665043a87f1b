package dev.cairn.orchestrator.api;

import org.apache.catalina.Host;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes the embedded Tomcat's host report its own errors as problem+json ({@link ProblemErrorReportValve}), so that
 * every refusal is {@code application/problem+json}, whichever layer refuses.
 */
@Configuration(proxyBeanMethods = false)
public class ProblemErrorReportConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReportValve() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof Host host && host instanceof StandardHost standard) {
                // the host adds an instance of this class at start, in place of Tomcat's HTML report
                standard.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }
}
